"""Missed deadlines escalate exactly once per (alert, deadline).

A scan finds open alerts past a deadline that nobody escalated. Each one is then handled in its own
transaction: a conditional UPDATE claims it (only one worker can flip the flag from NULL), the unique
``Escalation`` row, the notifications (deduplicated per recipient) and the timeline event are written
in that same transaction. A worker that dies half-way commits nothing, so the next scan retries it;
two workers racing for one alert see one UPDATE win and the other match no row."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.alerts.models import Alert, AlertEvent, AlertEventKind, Deadline, Escalation
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.notifications.services import notify
from ruta.policy import access
from ruta.policy.permissions import PlatformPermission
from ruta.policy.roles import ROLES

logger = logging.getLogger(__name__)
SCAN_LIMIT = 200


@dataclass(frozen=True)
class DeadlineSpec:
    deadline: str
    due_field: str
    done_field: str
    flag_field: str


SPECS = (
    DeadlineSpec(Deadline.ACKNOWLEDGE, "acknowledge_due_at", "acknowledged_at", "acknowledge_escalated_at"),
    DeadlineSpec(Deadline.FIRST_RESPONSE, "first_response_due_at", "first_response_at", "first_response_escalated_at"),
)


def _overdue(spec: DeadlineSpec, now: datetime) -> dict[str, Any]:
    return {
        "is_open": True,
        f"{spec.done_field}__isnull": True,
        f"{spec.flag_field}__isnull": True,
        f"{spec.due_field}__lt": now,
    }


def escalation_recipients(alert: Alert) -> list[Any]:
    """Everyone holding ESCALATION_RECEIVE whose scope reaches the alert: the supervisors of its
    institution or territory and the commission's duty officers (national)."""
    roles = [code for code, role in ROLES.items() if PlatformPermission.ESCALATION_RECEIVE in role.grants]
    candidates = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__institution__is_active=True,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("pk")
    )
    one = Alert.objects.filter(pk=alert.pk)
    return [user for user in candidates if access.visible(user, PlatformPermission.ESCALATION_RECEIVE, one).exists()]


def escalate_missed_deadlines(*, now: datetime | None = None, limit: int = SCAN_LIMIT) -> int:
    """Escalate every missed deadline not yet escalated; returns how many this call escalated."""
    now = now or timezone.now()
    escalated = 0
    for spec in SPECS:
        ids = list(
            Alert.objects.filter(**_overdue(spec, now)).order_by(spec.due_field).values_list("pk", flat=True)[:limit]
        )
        for pk in ids:
            try:
                if escalate_one(alert_id=pk, spec=spec, now=now):
                    escalated += 1
            except Exception:
                # Nothing of this alert's escalation committed; the next scan tries again.
                logger.exception("escalation of alert %s (%s) failed", pk, spec.deadline)
    return escalated


@transaction.atomic
def escalate_one(*, alert_id: int, spec: DeadlineSpec, now: datetime) -> bool:
    claimed = Alert.objects.filter(pk=alert_id, **_overdue(spec, now)).update(**{spec.flag_field: now})
    if not claimed:
        return False  # someone else escalated it, or it was acknowledged / answered meanwhile
    alert = Alert.objects.select_related("municipality").get(pk=alert_id)
    due_at = getattr(alert, spec.due_field)
    escalation = Escalation.objects.create(alert=alert, deadline=spec.deadline, due_at=due_at, escalated_at=now)
    recipients = escalation_recipients(alert)
    label = _("acknowledge") if spec.deadline == Deadline.ACKNOWLEDGE else _("first response")
    place = str(alert.municipality) if alert.municipality else _("place not given")
    subject = _("Missed deadline: alert %(reference)s (%(priority)s) — %(deadline)s") % {
        "reference": alert.reference,
        "priority": alert.priority,
        "deadline": label,
    }
    body = _("The %(deadline)s deadline of alert %(reference)s (%(priority)s, %(place)s) was %(due)s.") % {
        "deadline": label,
        "reference": alert.reference,
        "priority": alert.priority,
        "place": place,
        "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
    }
    notify(
        recipients=recipients,
        kind="alert.escalation",
        subject=subject,
        body=body,
        url=f"/alerts/{alert.reference}/",
        dedupe_key=f"alert-escalation:{alert.pk}:{spec.deadline}",
    )
    escalation.recipients = len(recipients)
    escalation.save(update_fields=["recipients"])
    AlertEvent.objects.create(
        alert=alert,
        at=now,
        actor=None,
        kind=AlertEventKind.ESCALATED,
        new={"deadline": spec.deadline, "recipients": len(recipients)},
    )
    audit_record(
        actor=None, action=AuditAction.UPDATE, obj=alert, summary=f"deadline missed: {spec.deadline} escalated"
    )
    return True
