"""The commission's indicators over alerts, screening, identification and referrals (registered from
this app's plugin.py; the alerts' and cases' own counts live in their ``statistics`` modules).

Each definition says in words exactly what is counted, so a reader can check it against the data and
the exactness tests can recount it by raw SQL."""

from __future__ import annotations

import statistics as pystatistics
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Aggregate, F, FloatField, Func, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.alerts.models import Alert
from ruta.cases.models import IdentificationDecision, IdentificationOutcome
from ruta.core.indicators import MONTH, Indicator, Measure, Values, dated, real_records, records_indicator
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


class _PostgresMedian(Aggregate):
    """PostgreSQL's exact median (the mean of the two middle values for an even count, as
    ``statistics.median``), so the median never leaves the database there."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _median(
    records: Callable[[], QuerySet[Any]], *, date_field: str, paths: Mapping[str, str], duration: Any, scale: float
) -> Measure:
    """Per cell, the median of ``duration`` (an expression giving a timedelta) in units of ``scale``
    seconds, one decimal. Medians are not additive, so each cell reads its own records."""

    def measure(since: date | None, until: date | None, by: Sequence[str], where: Mapping[str, str]) -> Values:
        queryset = dated(records(), date_field, since, until)
        for dimension, value in where.items():
            lookup: dict[str, Any] = {paths[dimension]: value} if value else {f"{paths[dimension]}__isnull": True}
            queryset = queryset.filter(**lookup)
        columns = [f"_{MONTH}" if dimension == MONTH else paths[dimension] for dimension in by]
        queryset = queryset.annotate(**{f"_{MONTH}": TruncMonth(date_field), "_duration": duration})
        if connections[queryset.db].vendor == "postgresql":
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
            samples: dict[tuple[Any, ...], list[float]] = {}
            for row in queryset.values_list(*columns, "_duration").iterator(chunk_size=5000):
                samples.setdefault(_key(columns, row[:-1]), []).append(row[-1].total_seconds() / scale)
            medians = {key: round(pystatistics.median(values), 1) for key, values in samples.items()}
        if not by and not medians:
            return {(): None}
        return medians

    return measure


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
)


ACKNOWLEDGEMENT_DUE = records_indicator(
    "alerts.acknowledgement_due",
    _("Alerts whose acknowledgement is due"),
    _(
        "Alerts received in the period that have been acknowledged or whose acknowledgement deadline has passed; "
        "counted on the date the alert was received; demonstration data excluded."
    ),
    model=Alert,
    date_field="received_at",
    dimensions=ALERT_DIMENSIONS,
    # Alerts still inside their deadline and not yet acknowledged cannot be judged yet.
    condition=lambda: Q(acknowledged_at__isnull=False) | Q(acknowledge_due_at__lt=timezone.now()),
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
    ).counts,
    measure=_median(
        lambda: _alerts().filter(_RESPONDED),
        date_field="received_at",
        paths={dimension: path for dimension, (_label, path) in ALERT_DIMENSIONS.items()},
        duration=F("first_response_at") - F("received_at"),
        scale=3600,
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
)

REFERRALS_ANSWER_DUE = records_indicator(
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
    condition=lambda: Q(sent_at__isnull=False) & (Q(answered_at__isnull=False) | Q(accept_due_at__lt=timezone.now())),
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
