"""Statistics indicators: each app declares the figures it can produce, in words and as a count.

An indicator has a code, a label, a definition a reader can check against the data ("alerts received:
every alert recorded, by the moment it was received; synthetic alerts excluded"), the dimensions it
can be cut by, and ``counts(since, until, by)``: the number of records per combination of values of
the dimensions ``by`` for a period. Apps register theirs from ``plugin.py`` (``register_indicator``);
the statistics pages and the aggregated exports read them here and never know a domain.

``counter`` builds ``counts`` for the common case (count the rows of a queryset, dated by one field);
``records_indicator`` the whole indicator for "a model's real records" (demonstration data excluded).
Counts are raw: small-cell suppression is the publisher's job (``ruta.statistics.suppression``).

Some figures are not counts (a median time, a share): such an indicator also has a ``measure``, the
value per cell, and a ``unit``; its ``counts`` stay the number of records each value is computed from,
which is what small-cell protection looks at."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise

from ruta.core import rollups
from ruta.core.periods import MONTH, period_filter
from ruta.core.registry import Registry

Counts = dict[tuple[Any, ...], int]
Values = dict[tuple[Any, ...], float | None]
# (since, until, by, where): the value per combination of ``by`` among records matching ``where``.
Measure = Callable[[date | None, date | None, Sequence[str], Mapping[str, str]], Values]
_WITH_SYNTHETIC: ContextVar[bool] = ContextVar("ruta_indicators_with_synthetic", default=False)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise | str
    definition: Promise | str
    # Dimension code → label; every indicator can also be cut by "month" of its date.
    dimensions: Mapping[str, Promise | str]
    counts: Callable[[date | None, date | None, Sequence[str]], Counts]
    measure: Measure | None = None
    unit: Promise | str = ""

    def unknown_dimensions(self, dimensions: Sequence[str]) -> list[str]:
        return [dimension for dimension in dimensions if dimension != MONTH and dimension not in self.dimensions]

    def count(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        by: Sequence[str] = (),
        where: Mapping[str, str] | None = None,
    ) -> Counts:
        """Records per value combination of ``by`` (in that order) dated within [since, until] and
        matching ``where`` (dimension → value, compared as text); ``by=()`` gives the total under ``()``."""
        where = dict(where or {})
        unknown = self.unknown_dimensions([*by, *where])
        if unknown:
            raise ValueError(f"{self.code} cannot be cut by {', '.join(unknown)}")
        if not where:
            return self.counts(since, until, tuple(by))
        # Filter by cutting by the filtered dimensions too: works for every registered ``counts``.
        filtered = [dimension for dimension in where if dimension not in by]
        result: Counts = {}
        for key, number in self.counts(since, until, (*by, *filtered)).items():
            values = dict(zip((*by, *filtered), key, strict=True))
            if all(_text(values[dimension]) == value for dimension, value in where.items()):
                short = key[: len(by)]
                result[short] = result.get(short, 0) + number
        if not by and not result:
            result[()] = 0
        return result

    def values(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        by: Sequence[str] = (),
        where: Mapping[str, str] | None = None,
    ) -> Values:
        """The figure per cell: the measure when the indicator has one, otherwise the count."""
        if self.measure is None:
            return {
                key: float(number) for key, number in self.count(since=since, until=until, by=by, where=where).items()
            }
        unknown = self.unknown_dimensions([*by, *(where or {})])
        if unknown:
            raise ValueError(f"{self.code} cannot be cut by {', '.join(unknown)}")
        return self.measure(since, until, tuple(by), dict(where or {}))


_INDICATORS: Registry[Indicator] = Registry("indicator", lambda indicator: indicator.code)


def register_indicator(indicator: Indicator) -> Indicator:
    return _INDICATORS.register(indicator)


def indicators() -> list[Indicator]:
    return _INDICATORS.all()


def indicator(code: str) -> Indicator:
    return _INDICATORS[code]


@contextmanager
def including_synthetic() -> Iterator[None]:
    """Count demonstration data too: benchmarks measure the figures over the synthetic data set."""
    token = _WITH_SYNTHETIC.set(True)
    try:
        yield
    finally:
        _WITH_SYNTHETIC.reset(token)


def including_synthetic_now() -> bool:
    return _WITH_SYNTHETIC.get()


def real_records(queryset: models.QuerySet[Any], flag: str = "is_synthetic") -> models.QuerySet[Any]:
    """``queryset`` without demonstration data (``flag`` names the marker, e.g. ``case__is_synthetic``)."""
    return queryset if _WITH_SYNTHETIC.get() else queryset.filter(**{flag: False})


def counter(
    records: Callable[[], models.QuerySet[Any]],
    *,
    date_field: str,
    paths: Mapping[str, str],
    dated_by_day: bool = False,
    rollup: rollups.Rollup | None = None,
) -> Callable[[date | None, date | None, Sequence[str]], Counts]:
    """``counts`` for "how many rows of ``records()``", dated by ``date_field`` (a datetime, compared
    by local date; a date when ``dated_by_day``) and cut by dimension paths (``{"department":
    "department__code"}``). A month is written ``"2026-03"``; a missing value ``None``. With a
    ``rollup`` over the same records, whole past months are read from it (``ruta.core.rollups``)."""

    def counts(since: date | None, until: date | None, by: Sequence[str]) -> Counts:
        # One page asks for the same counts more than once (a share's base is also a figure): once.
        asked = ("counter", id(counts), since, until, tuple(by), _WITH_SYNTHETIC.get())
        return dict(rollups.remembered_value(asked, lambda: counted(since, until, by)))

    def counted(since: date | None, until: date | None, by: Sequence[str]) -> Counts:
        if rollup is not None:
            kept = rollups.rolled_counts(rollup, since=since, until=until, by=by, with_synthetic=_WITH_SYNTHETIC.get())
            if kept is not None:
                return kept
        return raw_counts(since, until, by)

    def raw_counts(since: date | None, until: date | None, by: Sequence[str]) -> Counts:
        queryset = dated(records(), date_field, since, until, dated_by_day=dated_by_day)
        queryset = queryset.annotate(**{f"_{MONTH}": TruncMonth(date_field)})
        columns = [f"_{MONTH}" if dimension == MONTH else paths[dimension] for dimension in by]
        if not columns:
            return {(): queryset.count()}
        grouped = queryset.values(*columns).annotate(_count=Count("*")).order_by(*columns)
        result: Counts = {}
        for row in grouped:
            key = tuple(_value(row[column], column == f"_{MONTH}") for column in columns)
            result[key] = result.get(key, 0) + row["_count"]
        return result

    return counts


def added(
    *parts: Callable[[date | None, date | None, Sequence[str]], Counts],
) -> Callable[[date | None, date | None, Sequence[str]], Counts]:
    """``counts`` adding disjoint parts: e.g. a part kept in a rollup and a part that depends on the
    moment of counting, which must be read from the records each time."""

    def counts(since: date | None, until: date | None, by: Sequence[str]) -> Counts:
        result: Counts = {}
        for part in parts:
            for key, number in part(since, until, by).items():
                result[key] = result.get(key, 0) + number
        if not by:
            result.setdefault((), 0)
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
    condition: Q | Callable[[], Q] | None = None,
    real: str | None = "is_synthetic",
    dated_by_day: bool = False,
    rolled_up: Sequence[str] = (),
) -> Indicator:
    """An indicator counting the rows of ``model`` (those matching ``condition``, or what it returns
    when the condition depends on the moment of counting) that are not demonstration data (the flag
    ``real`` names, e.g. ``case__is_synthetic``; None for a model without any), dated by ``date_field``;
    ``dimensions`` maps each dimension's code to its label and its path. ``rolled_up`` names the
    dimensions kept in a monthly rollup (few, with few values each: a cut by any other dimension
    reads the records); a condition that depends on the moment cannot be rolled up."""
    rollup = None
    if rolled_up:
        if callable(condition):
            raise ImproperlyConfigured(f"{code}: a condition that changes with time cannot be rolled up")
        rollup = rollups.register(
            rollups.Rollup(
                code,
                model,
                date_field,
                tuple((dimension, dimensions[dimension][1]) for dimension in rolled_up),
                condition=condition,
                synthetic=real,
                dated_by_day=dated_by_day,
            )
        )

    def records() -> models.QuerySet[Any]:
        where = condition() if callable(condition) else condition
        queryset = model._default_manager.filter(where or Q())
        return real_records(queryset, real) if real else queryset

    return Indicator(
        code,
        label,
        definition,
        {dimension: dimension_label for dimension, (dimension_label, _path) in dimensions.items()},
        counter(
            records,
            date_field=date_field,
            paths={dimension: path for dimension, (_label, path) in dimensions.items()},
            dated_by_day=dated_by_day,
            rollup=rollup,
        ),
    )


def dated(
    queryset: models.QuerySet[Any],
    date_field: str,
    since: date | None,
    until: date | None,
    *,
    dated_by_day: bool = False,
) -> models.QuerySet[Any]:
    """``queryset`` limited to records whose ``date_field`` falls within [since, until] (local dates)."""
    return queryset.filter(**period_filter(date_field, since, until, dated_by_day=dated_by_day))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _value(value: Any, is_month: bool) -> Any:
    if is_month and value is not None:
        return value.strftime("%Y-%m")
    return value
