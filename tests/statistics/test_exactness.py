"""Every figure equals a count by raw SQL on the same data: each indicator this app publishes (and
the alerts' and cases' own), by every one of its dimensions and by month, over a seeded data set.

The SQL is written here by hand from each indicator's definition in words, not derived from the
ORM, so a wrong join, filter or date rule in an indicator shows up as a difference."""

from __future__ import annotations

import statistics as pystatistics
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from ruta.core.indicators import MONTH, indicator
from ruta.statistics.indicators import INDICATORS
from tests.statistics.factories import seed_statistics

pytestmark = pytest.mark.django_db

ALERTS = """FROM alerts_alert a
    LEFT JOIN geo_department d ON d.id = a.department_id
    LEFT JOIN geo_municipality m ON m.id = a.municipality_id
    LEFT JOIN institutions_institution ri ON ri.id = a.reporting_institution_id
    LEFT JOIN institutions_institution ai ON ai.id = a.assigned_institution_id
    WHERE NOT a.is_synthetic"""
ALERT_DIMENSIONS = {
    "department": "d.code",
    "municipality": "m.code",
    "channel": "a.channel",
    "priority": "a.priority",
    "reporting_institution": "ri.code",
    "assigned_institution": "ai.code",
}
PLACE = """LEFT JOIN geo_municipality m ON m.id = c.municipality_id
    LEFT JOIN geo_department d ON d.id = m.department_id"""
DECISIONS = f"""FROM cases_identificationdecision i
    JOIN cases_case c ON c.id = i.case_id
    JOIN persons_person p ON p.id = i.person_id
    JOIN institutions_institution ii ON ii.id = i.institution_id
    {PLACE}
    WHERE NOT c.is_synthetic"""
PERSON_DIMENSIONS = {
    "department": "d.code",
    "sex": "p.sex",
    "age_group": "p.age_group",
    "exploitation": "c.exploitation",
    "institution": "ii.code",
}
REFERRALS = f"""FROM referrals_referral r
    JOIN cases_case c ON c.id = r.case_id
    JOIN institutions_institution fi ON fi.id = r.from_institution_id
    JOIN institutions_institution ti ON ti.id = r.to_institution_id
    {PLACE}
    WHERE NOT c.is_synthetic AND r.sent_at IS NOT NULL"""
REFERRAL_DIMENSIONS = {"department": "d.code", "sender": "fi.code", "receiver": "ti.code", "urgency": "r.urgency"}


@dataclass(frozen=True)
class Spec:
    source: str
    date_column: str
    dimensions: dict[str, str]
    condition: str = ""
    is_date: bool = False


SPECS = {
    "alerts.received": Spec(ALERTS, "a.received_at", ALERT_DIMENSIONS),
    "alerts.acknowledged_in_time": Spec(
        ALERTS,
        "a.received_at",
        {k: v for k, v in ALERT_DIMENSIONS.items() if "institution" not in k},
        "a.acknowledged_at IS NOT NULL AND a.acknowledged_at <= a.acknowledge_due_at",
    ),
    "alerts.acknowledgement_due": Spec(
        ALERTS,
        "a.received_at",
        {k: v for k, v in ALERT_DIMENSIONS.items() if "institution" not in k},
        "(a.acknowledged_at IS NOT NULL OR a.acknowledge_due_at < %(now)s)",
    ),
    "alerts.first_response_median_hours": Spec(
        ALERTS,
        "a.received_at",
        {k: v for k, v in ALERT_DIMENSIONS.items() if "institution" not in k},
        "a.first_response_at IS NOT NULL",
    ),
    "cases.opened": Spec(
        f"""FROM cases_case c JOIN institutions_institution li ON li.id = c.lead_institution_id {PLACE}
        WHERE NOT c.is_synthetic""",
        "c.opened_at",
        {
            "department": "d.code",
            "municipality": "m.code",
            "stage": "c.stage",
            "exploitation": "c.exploitation",
            "lead_institution": "li.code",
        },
    ),
    "screening.screenings": Spec(
        "FROM screening_screeningrecord s WHERE 1 = 1",
        "s.created_at",
        {"outcome": "s.outcome", "exploitation": "s.exploitation"},
    ),
    "persons.identification_decisions": Spec(
        DECISIONS, "i.decided_on", {"outcome": "i.outcome", **PERSON_DIMENSIONS}, is_date=True
    ),
    "persons.identified": Spec(DECISIONS, "i.decided_on", PERSON_DIMENSIONS, "i.outcome = 'identified'", is_date=True),
    "persons.child_victims": Spec(
        DECISIONS,
        "i.decided_on",
        {k: v for k, v in PERSON_DIMENSIONS.items() if k != "age_group"},
        "i.outcome = 'identified' AND (p.age_group = 'child' OR p.presumed_child)",
        is_date=True,
    ),
    "referrals.sent": Spec(REFERRALS, "r.sent_at", REFERRAL_DIMENSIONS),
    "referrals.answered_in_time": Spec(
        REFERRALS, "r.sent_at", REFERRAL_DIMENSIONS, "r.answered_at IS NOT NULL AND r.answered_at <= r.accept_due_at"
    ),
    "referrals.answer_due": Spec(
        REFERRALS, "r.sent_at", REFERRAL_DIMENSIONS, "(r.answered_at IS NOT NULL OR r.accept_due_at < %(now)s)"
    ),
}
# Shares are the ratio of two counts above; their base is the denominator's count.
SHARES = {
    "alerts.acknowledged_in_time_share": ("alerts.acknowledged_in_time", "alerts.acknowledgement_due"),
    "referrals.answered_in_time_share": ("referrals.answered_in_time", "referrals.answer_due"),
}
SINCE, UNTIL = date(2026, 2, 1), date(2026, 3, 31)


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {column})"


def _date_month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {column})"


def raw_counts(spec: Spec, dimension: str | None, *, period: bool) -> dict[tuple[Any, ...], int]:
    conditions = [spec.condition] if spec.condition else []
    params: dict[str, Any] = {"now": timezone.now()}
    if period:
        conditions.append(f"{spec.date_column} >= %(since)s AND {spec.date_column} < %(until)s")
        if spec.is_date:
            params.update(since=SINCE, until=date(2026, 4, 1))
        else:  # local days: Tegucigalpa is UTC−6 all year
            params.update(since=datetime(2026, 2, 1, 6, tzinfo=UTC), until=datetime(2026, 4, 1, 6, tzinfo=UTC))
    where = "".join(f" AND {condition}" for condition in conditions)
    if dimension is None:
        sql = f"SELECT COUNT(*) {spec.source}{where}"
    else:
        column = (
            (_date_month if spec.is_date else _month)(spec.date_column)
            if dimension == MONTH
            else spec.dimensions[dimension]
        )
        sql = f"SELECT {column}, COUNT(*) {spec.source}{where} GROUP BY {column}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if dimension is None:
        return {(): rows[0][0]}
    return {(row[0],): row[1] for row in rows}


@pytest.fixture
def seeded(personas: dict[str, Any]) -> Any:
    return seed_statistics(personas)


def test_every_indicator_of_this_app_has_a_raw_sql_recount() -> None:
    own = {item.code for item in INDICATORS} | {"alerts.received", "cases.opened"}
    assert own == set(SPECS) | set(SHARES)
    for code, spec in SPECS.items():
        assert set(indicator(code).dimensions) == set(spec.dimensions), code


@pytest.mark.parametrize("code", sorted(SPECS))
def test_counts_equal_raw_sql_by_every_dimension(code: str, seeded: Any) -> None:
    spec, item = SPECS[code], indicator(code)
    for period in (False, True):
        since, until = (SINCE, UNTIL) if period else (None, None)
        total = raw_counts(spec, None, period=period)
        assert item.count(since=since, until=until) == total, (code, period)
        assert total[()] > 0, f"the seeded data set must exercise {code}"
        for dimension in [MONTH, *spec.dimensions]:
            expected = raw_counts(spec, dimension, period=period)
            assert item.count(since=since, until=until, by=(dimension,)) == expected, (code, dimension, period)


@pytest.mark.parametrize("code", sorted(SHARES))
def test_shares_are_the_ratio_of_their_raw_counts(code: str, seeded: Any) -> None:
    numerator, denominator = (SPECS[part] for part in SHARES[code])
    item = indicator(code)
    for dimension in [None, *denominator.dimensions]:
        top = raw_counts(numerator, dimension, period=False)
        bottom = raw_counts(denominator, dimension, period=False)
        expected = {key: round(100 * top.get(key, 0) / count, 1) for key, count in bottom.items() if count}
        by = () if dimension is None else (dimension,)
        assert item.values(by=by) == expected, (code, dimension)
        assert item.count(by=by) == bottom


def test_median_response_time_equals_raw_sql(seeded: Any) -> None:
    spec = SPECS["alerts.first_response_median_hours"]
    item = indicator("alerts.first_response_median_hours")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a.priority, a.received_at, a.first_response_at {spec.source} AND {spec.condition}")
        rows = cursor.fetchall()
    hours: dict[Any, list[float]] = {}
    for priority, received, responded in rows:
        if isinstance(received, str):  # SQLite hands back text
            received, responded = datetime.fromisoformat(received), datetime.fromisoformat(responded)
        hours.setdefault(priority, []).append((responded - received).total_seconds() / 3600)
    expected = {(priority,): round(pystatistics.median(values), 1) for priority, values in hours.items()}
    assert item.values(by=("priority",)) == expected
    everything = [value for values in hours.values() for value in values]
    assert item.values() == {(): round(pystatistics.median(everything), 1)}


def test_filters_equal_raw_sql(seeded: Any) -> None:
    spec = SPECS["alerts.received"]
    item = indicator("alerts.received")
    by_department = raw_counts(spec, "department", period=False)
    for (department,), count in by_department.items():
        assert item.count(where={"department": department}) == {(): count}
        by_priority = item.count(by=("priority",), where={"department": department})
        assert sum(by_priority.values()) == count
