"""Missed deadlines escalate to the sending institution's supervisors exactly once per deadline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ruta.core.worklist import worklist_items
from ruta.deadlines.models import Escalation
from ruta.deadlines.services import escalate, escalate_missed_deadlines
from ruta.jobs.services import discover, run_due_periodic
from ruta.notifications.models import Notification
from ruta.referrals.deadlines import ACCEPTANCE_DEADLINE
from ruta.referrals.models import Deadline, Referral, ReferralDeadlineRule, Urgency
from tests.referrals.factories import accepted_referral, make_referral

pytestmark = pytest.mark.django_db


def _overdue(referral: Referral, *, accept: bool = True, complete: bool = False) -> Referral:
    past = timezone.now() - timedelta(minutes=1)
    fields = {}
    if accept:
        fields["accept_due_at"] = past
    if complete:
        fields["complete_due_at"] = past
    Referral.objects.filter(pk=referral.pk).update(**fields)
    referral.refresh_from_db()
    return referral


def test_deadlines_come_from_the_editable_configuration(personas: dict[str, Any]) -> None:
    ReferralDeadlineRule.objects.filter(urgency=Urgency.HIGH).update(
        accept_within=timedelta(hours=2), complete_within=timedelta(days=5)
    )
    referral = make_referral(personas, urgency=Urgency.HIGH)
    assert referral.accept_due_at - referral.sent_at == timedelta(hours=2)
    assert referral.complete_due_at - referral.sent_at == timedelta(days=5)


def test_escalation_once_with_two_workers(personas: dict[str, Any]) -> None:
    referral = _overdue(make_referral(personas))
    fresh = make_referral(personas)  # not due yet
    discover()
    ran_first = run_due_periodic("worker-1")
    assert "deadlines.escalate_missed" in ran_first
    from ruta.jobs.models import PeriodicRun

    PeriodicRun.objects.update(next_run_at=timezone.now() - timedelta(seconds=1))
    assert "deadlines.escalate_missed" in run_due_periodic("worker-2")
    assert escalate_missed_deadlines() == 0
    escalation = Escalation.objects.for_model(Referral).get()
    assert escalation.record == referral and escalation.deadline == Deadline.ACCEPTANCE
    notes = Notification.objects.filter(kind="referral_escalation")
    # The ERI supervisor (CASE_APPROVE + ESCALATION_RECEIVE at the sending institution), once.
    assert list(notes.values_list("recipient__username", flat=True)) == [personas["supervisor"].username]
    assert not Escalation.objects.filter(referral=fresh).exists()


def test_a_second_worker_racing_on_the_same_deadline_does_nothing(personas: dict[str, Any]) -> None:
    referral = _overdue(make_referral(personas))
    # Both workers selected the referral before either committed: the unique row decides.
    assert escalate(kind=ACCEPTANCE_DEADLINE, record_id=referral.pk)
    assert not escalate(kind=ACCEPTANCE_DEADLINE, record_id=referral.pk)
    assert Notification.objects.filter(kind="referral_escalation").count() == 1
    assert referral.events.filter(kind="escalated").count() == 1


def test_completion_deadline_escalates_separately(personas: dict[str, Any]) -> None:
    referral = _overdue(accepted_referral(personas), accept=True, complete=True)
    assert escalate_missed_deadlines() == 1  # accepted: only the completion deadline counts
    assert Escalation.objects.for_model(Referral).get().deadline == Deadline.COMPLETION
    sent = _overdue(make_referral(personas), accept=True, complete=True)
    assert escalate_missed_deadlines() == 2
    assert set(Escalation.objects.filter(referral=sent).values_list("deadline", flat=True)) == {
        "acceptance",
        "completion",
    }
    assert referral.pk != sent.pk


def test_escalation_is_visible_on_the_referral_and_in_work_lists(personas: dict[str, Any], client: Any) -> None:
    referral = _overdue(make_referral(personas))
    escalate_missed_deadlines()
    client.force_login(personas["eri_responder"])
    page = client.get(reverse("referrals:detail", args=[referral.reference])).content.decode()
    assert "Escalated deadlines" in page or "escalad" in page.lower()
    team_items = worklist_items(personas["supervisor"], team=True)
    assert [item.reference for item in team_items if item.kind == "referral_escalated"] == [referral.reference]
    incoming = [i for i in worklist_items(personas["caseworker"]) if i.kind == "referral_incoming"]
    assert incoming and incoming[0].reference == referral.reference and incoming[0].overdue
    outgoing = [i for i in worklist_items(personas["eri_responder"]) if i.kind == "referral_outgoing"]
    assert [i.reference for i in outgoing] == [referral.reference]
    assert worklist_items(personas["caseworker_ngo"]) == [] or all(
        i.reference != referral.reference for i in worklist_items(personas["caseworker_ngo"])
    )


def test_worklist_provider_uses_a_fixed_number_of_queries(
    personas: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from ruta.referrals.worklist import referral_work

    for _ in range(3):
        make_referral(personas)
    user = personas["caseworker"]
    list(referral_work(user, False))  # warm the grants cache
    # One query for the incoming referrals, one for the user's own outgoing ones.
    with django_assert_num_queries(2):
        assert len([i for i in referral_work(user, False) if i.kind == "referral_incoming"]) == 3
    for _ in range(2):
        make_referral(personas)
    with django_assert_num_queries(2):
        assert len([i for i in referral_work(user, False) if i.kind == "referral_incoming"]) == 5
