"""The commission's indicators over alerts, screening, identification and referrals (registered from
this app's plugin.py; the alerts' and cases' own counts live in their ``statistics`` modules).

Each definition says in words exactly what is counted, so a reader can check it against the data and
the exactness tests can recount it by raw SQL."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Aggregate, DurationField, ExpressionWrapper, F, FloatField, Func, Model, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.alerts.models import Alert
from ruta.cases.models import IdentificationDecision, IdentificationOutcome
from ruta.core import rollups
from ruta.core.indicators import (
    MONTH,
    Indicator,
    Measure,
    Values,
    added,
    dated,
    including_synthetic_now,
    real_records,
    records_indicator,
)
from ruta.core.periods import month_start
from ruta.persons.models import AgeGroup
from ruta.referrals.models import Referral
from ruta.screening.models import ScreeningRecord

ALERT_DIMENSIONS: dict[str, tuple[Promise | str, str]] = {
    "department": (_("department"), "department__code"),
    "municipality": (_("municipality"), "municipality__code"),
    "channel": (_("channel"), "channel"),
    "priority": (_("priority"), "priority"),
}
PERSON_DIMENSIONS: dict[str, tuple[Promise | str, str]] = {
    "department": (_("department"), "case__municipality__department__code"),
    "sex": (_("sex"), "person__sex"),
    "age_group": (_("age group"), "person__age_group"),
    "exploitation": (_("form of exploitation"), "case__exploitation"),
    "institution": (_("identifying institution"), "institution__code"),
}
# The dimensions kept in each monthly rollup (``ruta.core.rollups``): those the dashboards cut and
# filter by, each with few values; a cut by any other dimension is counted from the records.
ALERT_ROLLUP = ("department", "priority")
PERSON_ROLLUP = ("department", "sex", "age_group")
REFERRAL_ROLLUP = ("department", "urgency")
REFERRAL_DIMENSIONS: dict[str, tuple[Promise | str, str]] = {
    "department": (_("department"), "case__municipality__department__code"),
    "sender": (_("sending institution"), "from_institution__code"),
    "receiver": (_("receiving institution"), "to_institution__code"),
    "urgency": (_("urgency"), "urgency"),
}


def _ratio(numerator: Indicator, denominator: Indicator) -> Measure:
    """Per cell, the percentage ``numerator / denominator`` (one decimal); no value without a denominator."""

    def measure(since: date | None, until: date | None, by: Sequence[str], where: Mapping[str, str]) -> Values:
        top = numerator.count(since=since, until=until, by=by, where=where)
        bottom = denominator.count(since=since, until=until, by=by, where=where)
        return {key: round(100 * top.get(key, 0) / count, 1) if count else None for key, count in bottom.items()}

    return measure


def share_indicator(
    code: str, label: Promise, definition: Promise, *, numerator: Indicator, denominator: Indicator
) -> Indicator:
    """A percentage whose base (what small-cell protection looks at) is the denominator's count."""
    return Indicator(
        code,
        label,
        definition,
        denominator.dimensions,
        denominator.counts,
        measure=_ratio(numerator, denominator),
        unit=_("%"),
    )


def due_indicator(
    code: str,
    label: Promise,
    definition: Promise,
    *,
    model: type[Model],
    date_field: str,
    dimensions: Mapping[str, tuple[Promise | str, str]],
    settled: Q,
    waiting: Callable[[], Q],
    rolled_up: Sequence[str],
    real: str = "is_synthetic",
) -> Indicator:
    """Records that are settled (acknowledged, answered) or still waiting past their deadline. The
    settled ones are kept in a rollup; the waiting ones grow with the clock alone, so they are counted
    from the records each time (few: what is overdue now)."""
    common: dict[str, Any] = {"model": model, "date_field": date_field, "dimensions": dimensions, "real": real}
    return Indicator(
        code,
        label,
        definition,
        {dimension: dimension_label for dimension, (dimension_label, _path) in dimensions.items()},
        added(
            records_indicator(f"{code}.settled", "", "", condition=settled, rolled_up=rolled_up, **common).counts,
            records_indicator(f"{code}.waiting", "", "", condition=waiting, **common).counts,
        ),
    )


class _PostgresMedian(Aggregate):
    """PostgreSQL's exact median (the mean of the two middle values for an even count, as
    ``statistics.median``), so the median never leaves the database there."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _median(
    records: Callable[[], QuerySet[Any]],
    *,
    date_field: str,
    paths: Mapping[str, str],
    duration: Any,
    scale: float,
    rollup: rollups.Rollup | None = None,
) -> Measure:
    """Per cell, the median of ``duration`` (an expression giving a timedelta) in units of ``scale``
    seconds, one decimal. Medians are not additive, so each cell needs its own values: from the
    ``rollup``'s sorted runs where it answers (whole past months), otherwise from the records."""

    def selected(since: date | None, until: date | None, where: Mapping[str, str]) -> QuerySet[Any]:
        queryset = dated(records(), date_field, since, until)
        for dimension, value in where.items():
            lookup: dict[str, Any] = {paths[dimension]: value} if value else {f"{paths[dimension]}__isnull": True}
            queryset = queryset.filter(**lookup)
        return queryset.annotate(**{f"_{MONTH}": TruncMonth(date_field), "_duration": duration})

    def samples(
        since: date | None, until: date | None, by: Sequence[str], where: Mapping[str, str] | None = None
    ) -> dict[tuple[Any, ...], list[int]]:
        # Fetched at once, not through a cursor, in no order (no sort), and without truncating each
        # date when the stretch is one month (from a rollup: the current month or a cut edge).
        one_month = since is not None and until is not None and month_start(since) == month_start(until)
        columns = [f"_{MONTH}" if dimension == MONTH else paths[dimension] for dimension in by]
        fetched = [column for column in columns if not (one_month and column == f"_{MONTH}")]
        queryset = selected(since, until, where or {})
        found: dict[tuple[Any, ...], list[int]] = {}
        month = since.strftime("%Y-%m") if one_month and since is not None else None
        for row in queryset.values_list(*fetched, "_duration").order_by():
            values = iter(_key(fetched, row[:-1]))
            key = tuple(month if one_month and column == f"_{MONTH}" else next(values) for column in columns)
            found.setdefault(key, []).append(rollups.as_integer(row[-1]))
        return found

    def from_rollup(
        since: date | None, until: date | None, by: Sequence[str], where: Mapping[str, str]
    ) -> Values | None:
        assert rollup is not None
        asked = (*by, *(dimension for dimension in where if dimension not in by))
        cells = rollups.rolled_samples(
            rollup, samples, since=since, until=until, by=asked, with_synthetic=including_synthetic_now()
        )
        if cells is None:
            return None
        chosen: dict[tuple[Any, ...], list[array[int]]] = {}
        for key, runs in cells.items():
            named = dict(zip(asked, key, strict=True))
            if all(_text(named[dimension]) == value for dimension, value in where.items()):
                chosen.setdefault(key[: len(by)], []).extend(runs)
        medians: Values = {}
        for key, runs in chosen.items():
            middle = rollups.middle_values(runs)
            if middle is not None:
                medians[key] = _rounded_median(*middle, scale=scale)
        return medians if by or medians else {(): None}

    def measure(since: date | None, until: date | None, by: Sequence[str], where: Mapping[str, str]) -> Values:
        if rollup is not None:
            asked = (rollup.indicator, since, until, tuple(by), tuple(sorted(where.items())), including_synthetic_now())
            kept = rollups.remembered_value(("median", *asked), lambda: from_rollup(since, until, by, where))
            if kept is not None:
                return dict(kept)
        medians: Values = {}
        queryset = selected(since, until, where)
        if connections[queryset.db].vendor == "postgresql":
            columns = [f"_{MONTH}" if dimension == MONTH else paths[dimension] for dimension in by]
            seconds = Func(F("_duration"), template="EXTRACT(EPOCH FROM %(expressions)s)", output_field=FloatField())
            median = _PostgresMedian(seconds)
            if not columns:
                total = queryset.aggregate(_median=median)["_median"]
                return {(): None if total is None else round(total / scale, 1)}
            grouped = queryset.values(*columns).annotate(_median=median).order_by()
            medians = {
                _key(columns, [row[column] for column in columns]): round(row["_median"] / scale, 1)
                for row in grouped
                if row["_median"] is not None
            }
        else:
            for key, values in samples(since, until, by, where).items():
                middle = rollups.middle_values([array("q", sorted(values))])
                if middle is not None:
                    medians[key] = _rounded_median(*middle, scale=scale)
        if not by and not medians:
            return {(): None}
        return medians

    return measure


def _rounded_median(lower: int, upper: int, *, scale: float) -> float:
    """The median of two middle values in microseconds, in units of ``scale`` seconds to one decimal,
    computed as the records' path computes it (``timedelta.total_seconds() / scale``, then
    ``statistics.median``), so both paths give the same figure."""

    def unit(value: int) -> float:
        return value / 1_000_000 / scale

    if lower == upper:
        return round(unit(lower), 1)
    return round((unit(lower) + unit(upper)) / 2, 1)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _key(columns: Sequence[str], values: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(
        value.strftime("%Y-%m") if column == f"_{MONTH}" and value else value
        for column, value in zip(columns, values, strict=True)
    )


def _alerts() -> QuerySet[Alert]:
    return real_records(Alert.objects.all())


ACKNOWLEDGED_IN_TIME = records_indicator(
    "alerts.acknowledged_in_time",
    _("Alerts acknowledged within their deadline"),
    _(
        "Alerts received in the period whose acknowledgement was recorded no later than the acknowledgement "
        "deadline set by their priority; counted on the date the alert was received; demonstration data excluded."
    ),
    model=Alert,
    date_field="received_at",
    dimensions=ALERT_DIMENSIONS,
    condition=Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("acknowledge_due_at")),
    rolled_up=ALERT_ROLLUP,
)


ACKNOWLEDGEMENT_DUE = due_indicator(
    "alerts.acknowledgement_due",
    _("Alerts whose acknowledgement is due"),
    _(
        "Alerts received in the period that have been acknowledged or whose acknowledgement deadline has passed; "
        "counted on the date the alert was received; demonstration data excluded."
    ),
    model=Alert,
    date_field="received_at",
    dimensions=ALERT_DIMENSIONS,
    settled=Q(acknowledged_at__isnull=False),
    waiting=lambda: Q(acknowledged_at__isnull=True, acknowledge_due_at__lt=timezone.now()),
    rolled_up=ALERT_ROLLUP,
)

ACKNOWLEDGED_IN_TIME_SHARE = share_indicator(
    "alerts.acknowledged_in_time_share",
    _("Share of alerts acknowledged within their deadline"),
    _(
        "Of the alerts received in the period that have been acknowledged or whose acknowledgement deadline has "
        "passed, the percentage acknowledged no later than that deadline. The base shown is those alerts."
    ),
    numerator=ACKNOWLEDGED_IN_TIME,
    denominator=ACKNOWLEDGEMENT_DUE,
)

_RESPONDED = Q(first_response_at__isnull=False)
_RESPONSE_TIME = ExpressionWrapper(F("first_response_at") - F("received_at"), output_field=DurationField())
FIRST_RESPONSE_MEDIAN = Indicator(
    "alerts.first_response_median_hours",
    _("Median time to first response"),
    _(
        "For the alerts received in the period that have a first response recorded, the median number of hours "
        "between receiving the alert and its first response (half the alerts were answered faster). The base "
        "shown is the number of those alerts; demonstration data excluded."
    ),
    {dimension: label for dimension, (label, _path) in ALERT_DIMENSIONS.items()},
    records_indicator(
        "alerts.first_response_median_hours",
        "",
        "",
        model=Alert,
        date_field="received_at",
        dimensions=ALERT_DIMENSIONS,
        condition=_RESPONDED,
        rolled_up=ALERT_ROLLUP,
    ).counts,
    measure=_median(
        lambda: _alerts().filter(_RESPONDED),
        date_field="received_at",
        paths={dimension: path for dimension, (_label, path) in ALERT_DIMENSIONS.items()},
        duration=_RESPONSE_TIME,
        scale=3600,
        rollup=rollups.register(
            rollups.Rollup(
                "alerts.first_response_times",
                Alert,
                "received_at",
                # The department only: each more dimension multiplies the sorted runs a median searches.
                (("department", "department__code"),),
                condition=_RESPONDED,
                synthetic="is_synthetic",
                value=_RESPONSE_TIME,
            )
        ),
    ),
    unit=_("hours"),
)

SCREENINGS = records_indicator(
    "screening.screenings",
    _("Formal screenings"),
    _(
        "Every formal screening recorded (ILO–EC indicators), counted on the day it was recorded, by the outcome "
        "the rules gave (trafficking, possible, not indicated) and the exploitation list used. A person screened "
        "twice counts twice."
    ),
    model=ScreeningRecord,
    date_field="created_at",
    dimensions={
        "outcome": (_("screening outcome"), "outcome"),
        "exploitation": (_("form of exploitation"), "exploitation"),
    },
    real=None,
    rolled_up=("outcome", "exploitation"),
)

IDENTIFICATIONS = records_indicator(
    "persons.identification_decisions",
    _("Identification decisions"),
    _(
        "Decisions by the competent institution on whether a presumed victim is a victim of trafficking, counted "
        "on the date of the decision, by its outcome, the person's sex and age group, the case's form of "
        "exploitation and department; demonstration cases excluded."
    ),
    model=IdentificationDecision,
    date_field="decided_on",
    dated_by_day=True,
    real="case__is_synthetic",
    dimensions={"outcome": (_("decision"), "outcome"), **PERSON_DIMENSIONS},
    rolled_up=("outcome", *PERSON_ROLLUP),
)

IDENTIFIED = records_indicator(
    "persons.identified",
    _("Persons identified as victims"),
    _(
        "Persons the competent institution identified as victims of trafficking, counted on the date of the "
        "decision (a person identified in two cases counts in each), by sex, age group, form of exploitation and "
        "department; demonstration cases excluded."
    ),
    model=IdentificationDecision,
    date_field="decided_on",
    dated_by_day=True,
    real="case__is_synthetic",
    dimensions=PERSON_DIMENSIONS,
    condition=Q(outcome=IdentificationOutcome.IDENTIFIED),
    rolled_up=PERSON_ROLLUP,
)

CHILD_VICTIMS = records_indicator(
    "persons.child_victims",
    _("Child victims identified"),
    _(
        "Persons identified as victims of trafficking who were children (under 18, or presumed a child while "
        "their age is uncertain) when recorded, counted on the date of the decision; demonstration cases excluded."
    ),
    model=IdentificationDecision,
    date_field="decided_on",
    dated_by_day=True,
    real="case__is_synthetic",
    dimensions={key: value for key, value in PERSON_DIMENSIONS.items() if key != "age_group"},
    condition=Q(outcome=IdentificationOutcome.IDENTIFIED)
    & (Q(person__age_group=AgeGroup.CHILD) | Q(person__presumed_child=True)),
    rolled_up=("department", "sex"),
)

REFERRALS_SENT = records_indicator(
    "referrals.sent",
    _("Referrals sent"),
    _(
        "Referrals sent from a case to another institution, counted on the date they were sent, by sending and "
        "receiving institution, urgency and the case's department; demonstration cases excluded."
    ),
    model=Referral,
    date_field="sent_at",
    real="case__is_synthetic",
    dimensions=REFERRAL_DIMENSIONS,
    condition=Q(sent_at__isnull=False),
    rolled_up=REFERRAL_ROLLUP,
)

REFERRALS_ANSWERED_IN_TIME = records_indicator(
    "referrals.answered_in_time",
    _("Referrals answered within their deadline"),
    _(
        "Referrals sent in the period that the receiving institution accepted or declined no later than the answer "
        "deadline; counted on the date they were sent; demonstration cases excluded."
    ),
    model=Referral,
    date_field="sent_at",
    real="case__is_synthetic",
    dimensions=REFERRAL_DIMENSIONS,
    condition=Q(sent_at__isnull=False, answered_at__isnull=False, answered_at__lte=F("accept_due_at")),
    rolled_up=REFERRAL_ROLLUP,
)

REFERRALS_ANSWER_DUE = due_indicator(
    "referrals.answer_due",
    _("Referrals whose answer is due"),
    _(
        "Referrals sent in the period that have been answered or whose answer deadline has passed; counted on the "
        "date they were sent; demonstration cases excluded."
    ),
    model=Referral,
    date_field="sent_at",
    real="case__is_synthetic",
    dimensions=REFERRAL_DIMENSIONS,
    settled=Q(sent_at__isnull=False, answered_at__isnull=False),
    waiting=lambda: Q(sent_at__isnull=False, answered_at__isnull=True, accept_due_at__lt=timezone.now()),
    rolled_up=REFERRAL_ROLLUP,
)

REFERRALS_ANSWERED_IN_TIME_SHARE = share_indicator(
    "referrals.answered_in_time_share",
    _("Share of referrals answered within their deadline"),
    _(
        "Of the referrals sent in the period that have been answered or whose answer deadline has passed, the "
        "percentage accepted or declined no later than that deadline. The base shown is those referrals."
    ),
    numerator=REFERRALS_ANSWERED_IN_TIME,
    denominator=REFERRALS_ANSWER_DUE,
)

INDICATORS = [
    ACKNOWLEDGED_IN_TIME,
    ACKNOWLEDGEMENT_DUE,
    ACKNOWLEDGED_IN_TIME_SHARE,
    FIRST_RESPONSE_MEDIAN,
    SCREENINGS,
    IDENTIFICATIONS,
    IDENTIFIED,
    CHILD_VICTIMS,
    REFERRALS_SENT,
    REFERRALS_ANSWERED_IN_TIME,
    REFERRALS_ANSWER_DUE,
    REFERRALS_ANSWERED_IN_TIME_SHARE,
]
