"""Remedy orders and follow-up visits on the deadline engine: escalated once, to the inspection
supervisors of the inspectorate only."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ruta.deadlines.services import escalate_missed_deadlines
from ruta.inspections.models import Infraction, Visit
from ruta.notifications.models import Notification
from tests.inspections.factories import all_steps_done, planned_visit, sync, visit_record

pytestmark = pytest.mark.django_db


def _infraction(visit: Visit, due: str) -> dict[str, Any]:
    return {
        "kind": "infraction",
        "id": str(uuid.uuid4()),
        "base_version": None,
        "idempotency_key": uuid.uuid4().hex,
        "data": {
            "visit": str(visit.uuid),
            "legal_basis": "example-wages",
            "description": "Salarios retenidos tres meses",
            "remedy": "Pagar los salarios adeudados",
            "remedy_due": due,
        },
    }


def test_remedy_and_follow_up_escalate_once_to_the_supervisor(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    due = timezone.localdate() + timedelta(days=10)
    results = sync(
        personas,
        _infraction(visit, due.isoformat()),
        visit_record(visit, steps=all_steps_done(visit), status="completed", closed_at="2026-03-02T15:00:00-06:00"),
    )
    assert [r["status"] for r in results] == ["created", "updated"]
    follow_up = Visit.objects.get(follow_up_of=visit)
    assert (follow_up.inspection_type, follow_up.status, follow_up.planned_for) == ("follow_up", "planned", due)
    assert follow_up.inspector == personas["labour_inspector"]

    assert escalate_missed_deadlines(now=timezone.now()) == 0  # not due yet
    later = timezone.now() + timedelta(days=12)
    assert escalate_missed_deadlines(now=later) == 2  # the remedy and the follow-up visit
    assert escalate_missed_deadlines(now=later + timedelta(days=1)) == 0  # once
    told = Notification.objects.filter(kind="inspection_escalation")
    assert set(told.values_list("recipient__username", flat=True)) == {personas["inspection_supervisor"].username}
    assert told.count() == 2
    assert Infraction.objects.get(visit=visit).remedy_escalated_at is not None


def test_a_remedied_order_is_not_escalated(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    sync(personas, _infraction(visit, (timezone.localdate() + timedelta(days=1)).isoformat()))
    Infraction.objects.filter(visit=visit).update(remedied_at=timezone.now())
    assert escalate_missed_deadlines(now=timezone.now() + timedelta(days=5)) == 0
