"""P1 alerts reach the focal points of the networks covering their municipality, once; a missed
follow-up action reaches the coordinator, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ruta.deadlines.services import escalate_missed_deadlines
from ruta.networks import bulletins, services
from ruta.networks.escalation import P1_NOTIFICATION, escalate_new_p1_alerts
from ruta.networks.models import P1Escalation
from ruta.networks.rules import NetworkError
from ruta.notifications.models import Notification
from tests.networks.factories import make_alert, make_network

pytestmark = pytest.mark.django_db


def test_p1_alert_escalates_once_to_the_focal_point(personas: dict[str, Any]) -> None:
    network = make_network(personas)
    make_network(personas, code="red-ceiba", municipality="0101")
    alert = make_alert("0801", signals=["S12"])
    assert alert.priority == "P1"
    make_alert("0801")  # not P1: no escalation
    make_alert("0501", signals=["S12"])  # P1 where no network is
    assert escalate_new_p1_alerts() == 1
    assert escalate_new_p1_alerts() == 0  # exactly once, however often the scan runs
    notes = Notification.objects.filter(kind=P1_NOTIFICATION)
    assert [n.recipient for n in notes] == [personas["municipal_focal_point"]]
    assert alert.reference in notes.get().url and "Una adolescente" not in notes.get().body
    assert P1Escalation.objects.get().network == network
    bulletin = bulletins.bulletin_send(
        actor=personas["municipal_focal_point"], network=network, kind="missing_child", text="Aviso", alert=alert
    )
    assert bulletin.alert == alert


def test_bulletin_cannot_cite_an_alert_not_escalated_to_the_network(personas: dict[str, Any]) -> None:
    network = make_network(personas)
    alert = make_alert("0801")
    with pytest.raises(NetworkError):
        bulletins.bulletin_send(
            actor=personas["municipal_focal_point"], network=network, kind="venue", text="Aviso", alert=alert
        )


def test_old_p1_alerts_are_not_news(personas: dict[str, Any]) -> None:
    make_network(personas)
    make_alert("0801", signals=["S12"], received_at=timezone.now() - timedelta(days=5))
    assert escalate_new_p1_alerts() == 0


def test_missed_follow_up_action_escalates_once_to_the_coordinator(personas: dict[str, Any]) -> None:
    network = make_network(personas)
    meeting = services.meeting_record(
        actor=personas["network_coordinator"],
        network=network,
        held_on=timezone.localdate(),
        place="Alcaldía",
        attendees=8,
        minutes="",
        agreements="",
        actions=[services.ActionInput("Hablar con la terminal", timezone.now() + timedelta(days=2))],
    )
    later = timezone.now() + timedelta(days=3)
    assert escalate_missed_deadlines(now=later) >= 1
    assert escalate_missed_deadlines(now=later + timedelta(hours=1)) == 0
    notes = Notification.objects.filter(kind="network.action_overdue")
    assert [n.recipient for n in notes] == [personas["network_coordinator"]]
    action = meeting.actions.get()
    action.refresh_from_db()
    assert action.escalated_at is not None
