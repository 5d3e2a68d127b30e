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


def _notice(deadline: str, alert: Alert, due_at: datetime) -> Notice:
    # No narrative and no person in the text: it is also sent by e-mail.
    name = Text(gettext_noop("acknowledge") if deadline == Deadline.ACKNOWLEDGE else gettext_noop("first response"))
    place = str(alert.municipality) if alert.municipality else Text(gettext_noop("place not given")).as_json()
    params = {"deadline": name.as_json(), "reference": alert.reference, "priority": alert.priority}
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


ACKNOWLEDGE = DeadlineKind(
    model=Alert,
    code=Deadline.ACKNOWLEDGE.value,
    label=Deadline.ACKNOWLEDGE.label,
    due_field="acknowledge_due_at",
    pending=Q(is_open=True, acknowledged_at__isnull=True),
    escalated_field="acknowledge_escalated_at",
    permission=PlatformPermission.ESCALATION_RECEIVE,
    notification_kind=NOTIFICATION_KIND,
    notice=lambda alert, due_at: _notice(Deadline.ACKNOWLEDGE, alert, due_at),
    url=_url,
    on_escalated=_timeline,
)

FIRST_RESPONSE = DeadlineKind(
    model=Alert,
    code=Deadline.FIRST_RESPONSE.value,
    label=Deadline.FIRST_RESPONSE.label,
    due_field="first_response_due_at",
    pending=Q(is_open=True, first_response_at__isnull=True),
    escalated_field="first_response_escalated_at",
    permission=PlatformPermission.ESCALATION_RECEIVE,
    notification_kind=NOTIFICATION_KIND,
    notice=lambda alert, due_at: _notice(Deadline.FIRST_RESPONSE, alert, due_at),
    url=_url,
    on_escalated=_timeline,
)
