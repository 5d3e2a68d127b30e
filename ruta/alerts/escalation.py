"""The alert's two clocks as kinds of the platform's deadline engine (``ruta.deadlines``): an open
alert must be acknowledged, then answered, in time; a missed clock escalates once to everyone holding
ESCALATION_RECEIVE whose scope reaches the alert (the supervisors of its institution or territory and
the commission's duty officers). Registered from ``plugin.py``."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from ruta.alerts.models import Alert, AlertEvent, AlertEventKind, Deadline
from ruta.core.texts import Text
from ruta.deadlines.models import Escalation
from ruta.deadlines.registry import DeadlineKind, Notice
from ruta.policy.permissions import PlatformPermission

NOTIFICATION_KIND = "alert.escalation"


def _notice(deadline_name: str, alert: Alert, due_at: datetime) -> Notice:
    # No narrative and no person in the text: it is also sent by e-mail.
    place = str(alert.municipality) if alert.municipality else Text(gettext_noop("place not given")).as_json()
    params = {"deadline": Text(deadline_name).as_json(), "reference": alert.reference, "priority": alert.priority}
    return Notice(
        subject=Text(gettext_noop("Missed deadline: alert %(reference)s (%(priority)s) — %(deadline)s"), params),
        body=Text(
            gettext_noop("The %(deadline)s deadline of alert %(reference)s (%(priority)s, %(place)s) was %(due)s."),
            {**params, "place": place, "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")},
        ),
    )


def _timeline(alert: Alert, escalation: Escalation) -> None:
    AlertEvent.objects.create(
        alert=alert,
        at=escalation.escalated_at,
        actor=None,
        kind=AlertEventKind.ESCALATED,
        new={"deadline": escalation.deadline, "recipients": escalation.recipients},
    )


def _url(alert: Alert) -> str:
    return f"/alerts/{alert.reference}/"


def _clock(deadline: Deadline, name: str, done_field: str) -> DeadlineKind:
    """One of the alert's clocks: due at ``<deadline>_due_at``, pending while the alert is open and
    ``done_field`` unset, marked at ``<deadline>_escalated_at``; ``name`` is how the notice calls it
    (a msgid, rendered in each recipient's language)."""
    return DeadlineKind(
        model=Alert,
        code=deadline.value,
        label=deadline.label,
        due_field=f"{deadline.value}_due_at",
        pending=Q(is_open=True, **{f"{done_field}__isnull": True}),
        escalated_field=f"{deadline.value}_escalated_at",
        permission=PlatformPermission.ESCALATION_RECEIVE,
        notification_kind=NOTIFICATION_KIND,
        notice=lambda alert, due_at: _notice(name, alert, due_at),
        url=_url,
        on_escalated=_timeline,
    )


ACKNOWLEDGE = _clock(Deadline.ACKNOWLEDGE, gettext_noop("acknowledge"), "acknowledged_at")
FIRST_RESPONSE = _clock(Deadline.FIRST_RESPONSE, gettext_noop("first response"), "first_response_at")
