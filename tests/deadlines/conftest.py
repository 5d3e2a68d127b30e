"""A deadline kind registered by the tests themselves, on alerts: "an alert must be acknowledged
within its reception time", escalated to the holders of ALERT_TRIAGE."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.db.models import Q
from django.utils.translation import gettext_noop

from ruta.alerts.configuration import catalogue_load
from ruta.alerts.models import Alert, AlertEvent, AlertEventKind
from ruta.alerts.permissions import AlertPermission
from ruta.core.texts import Text
from ruta.deadlines import registry
from ruta.deadlines.models import Escalation
from ruta.deadlines.registry import DeadlineKind, Notice


@pytest.fixture
def reference_data(reference_data: dict[str, Any]) -> dict[str, Any]:
    """Also the alert catalogue: a transactional test's flush elsewhere empties migration-loaded data."""
    catalogue_load()
    return reference_data


def record_timeline(alert: Alert, escalation: Escalation) -> None:
    """The kind's timeline hook: an event on the alert, written in the escalation's transaction."""
    AlertEvent.objects.create(
        alert=alert,
        at=escalation.escalated_at,
        kind=AlertEventKind.ESCALATED,
        new={"deadline": escalation.deadline, "recipients": escalation.recipients},
    )


def _notice(alert: Alert, due_at: datetime) -> Notice:
    return Notice(
        subject=Text(gettext_noop("Alert %(reference)s: follow-up missed"), {"reference": alert.reference}),
        body=Text(gettext_noop("It was due on %(due)s."), {"due": due_at.isoformat()}),
    )


def make_kind(**overrides: Any) -> DeadlineKind:
    fields: dict[str, Any] = {
        "model": Alert,
        "code": "test_follow_up",
        "label": "Test follow-up",
        # Every alert is past its reception time: the kind is due as soon as an alert exists.
        "due_field": "received_at",
        "pending": Q(acknowledged_at__isnull=True),
        "permission": AlertPermission.TRIAGE,
        "notification_kind": "test.follow_up",
        "notice": _notice,
        "url": lambda alert: f"/alerts/{alert.reference}/",
        "on_escalated": record_timeline,
    }
    fields.update(overrides)
    return DeadlineKind(**fields)


@pytest.fixture
def kind(monkeypatch: pytest.MonkeyPatch) -> Iterator[DeadlineKind]:
    """The test kind, registered for this test only."""
    registered = make_kind()
    monkeypatch.setattr(registry._KINDS, "_entries", dict(registry._KINDS._entries))
    registry.register_deadline(registered)
    yield registered
