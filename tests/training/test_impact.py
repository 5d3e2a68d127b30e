"""Field outcomes before and after training, against hand counts on a seeded set of visits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ruta.inspections.selectors import FieldOutcome
from ruta.training import impact
from tests.inspections.test_selectors import _world as inspection_world
from tests.training.factories import attend_all, enrol, make_session

pytestmark = pytest.mark.django_db


def _cohort(personas: dict[str, Any]) -> Any:
    """Visits of the inspector: A on 2 March (complete; 3 interviews, 2 private, 1 with indicators),
    B on 10 April (1 private interview, immediate danger → 1 hand-over), C planned for 1 June.
    The inspector and a caseworker attended a session on 20–21 March."""
    inspection_world(personas)
    session = make_session(personas, starts_on=date(2026, 3, 20), days=2)
    attend_all(personas, enrol(personas, session))
    attend_all(personas, enrol(personas, session, "caseworker"))
    return session


def test_windows_of_equal_length() -> None:
    class Session:
        starts_on = date(2026, 3, 20)
        ends_on = date(2026, 3, 21)

    # After: 22 March – 15 June (cut at today) = 10 + 30 + 31 + 15 = 86 days; before: the 86 days
    # ending on 19 March, from 24 December 2025.
    assert impact.windows(Session(), 180, date(2026, 6, 15)) == (  # type: ignore[arg-type]
        date(2025, 12, 24),
        date(2026, 3, 19),
        date(2026, 3, 22),
        date(2026, 6, 15),
    )
    assert impact.windows(Session(), 180, date(2026, 3, 21)) is None  # nothing after yet


def test_before_and_after_by_hand(personas: dict[str, Any]) -> None:
    session = _cohort(personas)
    cohorts = impact.cohorts([session], days=180, today=date(2026, 6, 15))
    assert len(cohorts) == 1
    cohort = cohorts[0]
    # Only the inspector: the caseworker is not an inspector.
    assert [person.label for person in cohort.persons] == [personas["labour_inspector"].get_full_name()]
    before, after = cohort.total.before, cohort.total.after
    assert before.outcome == FieldOutcome(
        visits=1, complete_visits=1, interviews=3, private_interviews=2, interviews_with_indicators=1, handovers=0
    )
    assert after.outcome == FieldOutcome(
        visits=2, complete_visits=0, interviews=1, private_interviews=1, interviews_with_indicators=0, handovers=1
    )
    assert (before.private.numerator, before.private.denominator, before.private.percent) == (2, 3, Decimal("66.7"))
    assert (after.complete.numerator, after.complete.denominator, after.complete.percent) == (0, 2, Decimal("0.0"))


def test_impact_page_shows_the_counts(personas: dict[str, Any], client: Client) -> None:
    _cohort(personas)
    client.force_login(personas["training_coordinator"])
    response = client.get(reverse("training:impact"), {"days": 180})
    body = response.content.decode()
    assert response.status_code == 200
    assert "1/1 (100.0 %)" in body  # complete visits before
    assert "0/2 (0.0 %)" in body  # complete visits after
    assert "2/3 (66.7 %)" in body  # private interviews before
    assert 'id="impact-data"' in body and "<script>" not in body
