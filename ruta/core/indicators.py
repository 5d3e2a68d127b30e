"""Statistics indicators: each app declares the figures it can produce, in words and as a count.

An indicator has a code, a label, a definition a reader can check against the data ("alerts received:
every alert recorded, by the moment it was received; synthetic alerts excluded"), the dimensions it
can be cut by, and ``counts(since, until, by)``: the number of records per combination of values of
the dimensions ``by`` for a period. Apps register theirs from ``plugin.py`` (``register_indicator``);
the statistics pages and the aggregated exports read them here and never know a domain.

``counter`` builds ``counts`` for the common case (count the rows of a queryset, dated by one field);
``records_indicator`` the whole indicator for "a model's real records" (demonstration data excluded).
Counts are raw: small-cell suppression is the publisher's job (``ruta.security.exports.suppress``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise

from ruta.core.registry import Registry

Counts = dict[tuple[Any, ...], int]
MONTH = "month"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise | str
    definition: Promise | str
    # Dimension code → label; every indicator can also be cut by "month" of its date.
    dimensions: Mapping[str, Promise | str]
    counts: Callable[[date | None, date | None, Sequence[str]], Counts]

    def count(self, *, since: date | None = None, until: date | None = None, by: Sequence[str] = ()) -> Counts:
        """Records per value combination of ``by`` (in that order) dated within [since, until];
        ``by=()`` gives the total under the key ``()``."""
        unknown = [dimension for dimension in by if dimension != MONTH and dimension not in self.dimensions]
        if unknown:
            raise ValueError(f"{self.code} cannot be cut by {', '.join(unknown)}")
        return self.counts(since, until, tuple(by))


_INDICATORS: Registry[Indicator] = Registry("indicator", lambda indicator: indicator.code)


def register_indicator(indicator: Indicator) -> Indicator:
    return _INDICATORS.register(indicator)


def indicators() -> list[Indicator]:
    return _INDICATORS.all()


def indicator(code: str) -> Indicator:
    return _INDICATORS[code]


def counter(
    records: Callable[[], models.QuerySet[Any]], *, date_field: str, paths: Mapping[str, str]
) -> Callable[[date | None, date | None, Sequence[str]], Counts]:
    """``counts`` for "how many rows of ``records()``", dated by ``date_field`` (a datetime, compared
    by local date) and cut by dimension paths (``{"department": "department__code"}``). A month is
    written ``"2026-03"``; a missing value ``None``."""

    def counts(since: date | None, until: date | None, by: Sequence[str]) -> Counts:
        queryset = records()
        if since:
            queryset = queryset.filter(**{f"{date_field}__date__gte": since})
        if until:
            queryset = queryset.filter(**{f"{date_field}__date__lte": until})
        queryset = queryset.annotate(**{f"_{MONTH}": TruncMonth(date_field)})
        columns = [f"_{MONTH}" if dimension == MONTH else paths[dimension] for dimension in by]
        if not columns:
            return {(): queryset.count()}
        grouped = queryset.values(*columns).annotate(_count=Count("pk")).order_by(*columns)
        result: Counts = {}
        for row in grouped:
            key = tuple(_value(row[column], column == f"_{MONTH}") for column in columns)
            result[key] = result.get(key, 0) + row["_count"]
        return result

    return counts


def records_indicator(
    code: str,
    label: Promise | str,
    definition: Promise | str,
    *,
    model: type[models.Model],
    date_field: str,
    dimensions: Mapping[str, tuple[Promise | str, str]],
) -> Indicator:
    """An indicator counting the rows of ``model`` that are not demonstration data (``is_synthetic``),
    dated by ``date_field``; ``dimensions`` maps each dimension's code to its label and its path."""
    return Indicator(
        code,
        label,
        definition,
        {dimension: dimension_label for dimension, (dimension_label, _path) in dimensions.items()},
        counter(
            lambda: model._default_manager.filter(is_synthetic=False),
            date_field=date_field,
            paths={dimension: path for dimension, (_label, path) in dimensions.items()},
        ),
    )


def _value(value: Any, is_month: bool) -> Any:
    if is_month and value is not None:
        return value.strftime("%Y-%m")
    return value
