"""The figures other modules read: ``field_outcomes`` and ``findings_by_municipality``, against hand counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ruta.inspections.selectors import FieldOutcome, field_outcomes, findings_by_municipality
from tests.inspections.factories import (
    all_steps_done,
    establishment,
    interview_record,
    planned_visit,
    sync,
    visit_record,
)

pytestmark = pytest.mark.django_db
STRONG = ["THB-AL-DR-01", "THB-AL-CR-01", "THB-AL-EX-01"]


def _world(personas: dict[str, Any]) -> dict[str, Any]:
    """Inspector: visit A (0501, complete, 3 interviews: 2 private, 1 with indicators, closed on
    2026-03-02), visit B (0801, in progress, steps missing, 1 interview with immediate danger, started
    2026-04-10), visit C (planned 2026-06-01, nothing recorded)."""
    a = planned_visit(personas, place=establishment(personas, municipality="0501"))
    b = planned_visit(personas, place=establishment(personas, municipality="0801"), planned_for=date(2026, 4, 10))
    c = planned_visit(personas, planned_for=date(2026, 6, 1))
    results = sync(
        personas,
        visit_record(a, steps=all_steps_done(a)),
        interview_record(a, held_in_private=True),
        interview_record(a, held_in_private=True, forced_labour_indicators=["FL08", "FL11"]),
        interview_record(a, held_in_private=False),
        visit_record(b, started_at="2026-04-10T10:00:00-06:00"),
        interview_record(b, immediate_danger=True),
    )
    assert [r["status"] for r in results] == ["created" if i else "updated" for i in (0, 1, 1, 1, 0, 1)]
    a.refresh_from_db()
    results = sync(
        personas,
        visit_record(a, steps=all_steps_done(a), status="completed", closed_at="2026-03-02T15:00:00-06:00"),
    )
    assert results[0]["status"] == "updated"
    return {"a": a, "b": b, "c": c}


def test_field_outcomes_count_by_hand(personas: dict[str, Any]) -> None:
    _world(personas)
    inspector = personas["labour_inspector"].pk
    other = personas["eri_responder"].pk
    outcomes = field_outcomes([inspector, other], since=None, until=None)
    # 3 visits, 1 complete (A), 4 interviews, 3 private, 1 with indicators, 1 hand-over (B: danger).
    assert outcomes[inspector] == FieldOutcome(
        visits=3, complete_visits=1, interviews=4, private_interviews=3, interviews_with_indicators=1, handovers=1
    )
    assert outcomes[other] == FieldOutcome()


def test_field_outcomes_by_visit_date(personas: dict[str, Any]) -> None:
    _world(personas)
    inspector = personas["labour_inspector"].pk
    march = field_outcomes([inspector], since=date(2026, 3, 1), until=date(2026, 3, 31))[inspector]
    assert (march.visits, march.interviews, march.handovers) == (1, 3, 0)
    april_on = field_outcomes([inspector], since=date(2026, 4, 1), until=None)[inspector]
    assert (april_on.visits, april_on.interviews, april_on.handovers) == (2, 1, 1)


def test_findings_by_municipality(personas: dict[str, Any]) -> None:
    world = _world(personas)
    # Only A is completed; it has an indicator. B has danger but is not completed.
    assert findings_by_municipality(since=None, until=None) == {"0501": 1}
    assert findings_by_municipality(since=date(2026, 4, 1), until=None) == {}
    b = world["b"]
    b.refresh_from_db()
    sync(
        personas,
        visit_record(
            b, status="completed", started_at="2026-04-10T10:00:00-06:00", closed_at="2026-04-10T12:00:00-06:00"
        ),
    )
    assert findings_by_municipality(since=None, until=None) == {"0501": 1, "0801": 1}
