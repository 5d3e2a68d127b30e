"""The one deadline engine: scan every registered kind, claim, find the recipients, notify, audit.

A scan lists records past a kind's due time that have not reached its state and were not escalated.
Each is then escalated in its own transaction: the record is re-read under a row lock with the same
conditions (a record that reached its state meanwhile, or that another worker escalated, no longer
matches), and the unique ``Escalation`` row, the kind's flag on the record, the notifications
(deduplicated per recipient), the domain's timeline event and the audit row are all written in that
transaction. Two workers racing for one record: one commits, the other matches no row or hits the
unique constraint and commits nothing. A worker killed half-way commits nothing, and the next scan
retries."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.deadlines.models import Escalation
from ruta.deadlines.registry import DeadlineKind, deadline_kinds
from ruta.notifications.services import notify
from ruta.policy.access import holders

logger = logging.getLogger(__name__)
SCAN_LIMIT = 200  # per kind and tick: a backlog drains over a few ticks instead of one long run


def _overdue(kind: DeadlineKind, now: datetime) -> Q:
    condition = kind.pending & Q(**{f"{kind.due_field}__lt": now})
    if kind.escalated_field:
        condition &= Q(**{f"{kind.escalated_field}__isnull": True})
    return condition


def _due(kind: DeadlineKind, now: datetime) -> models.QuerySet[Any]:
    records = kind.model._default_manager.filter(_overdue(kind, now))
    if kind.escalated_field:
        return records
    escalated = Escalation.objects.for_model(kind.model).filter(deadline=kind.code).values("object_id")
    return records.exclude(pk__in=escalated)


def escalation_recipients(kind: DeadlineKind, record: models.Model) -> list[AbstractBaseUser]:
    """The holders of the kind's permission whose grant reaches the record (or what the kind names),
    through the memberships the kind names: nobody else, and nobody checked by hand."""
    reach = kind.recipients_reach(record) if kind.recipients_reach else record
    institutions = kind.recipients_institutions(record) if kind.recipients_institutions else None
    return holders(kind.permission, reach, institution_ids=institutions)


def escalate_missed_deadlines(*, now: datetime | None = None, limit: int = SCAN_LIMIT) -> int:
    """Escalate every missed deadline of every registered kind not yet escalated; returns how many
    this call escalated."""
    now = now or timezone.now()
    escalated = 0
    for kind in deadline_kinds():
        ids = list(_due(kind, now).order_by(kind.due_field, "pk").values_list("pk", flat=True)[:limit])
        for record_id in ids:
            try:
                if escalate(kind=kind, record_id=record_id, now=now):
                    escalated += 1
            except Exception:
                # Nothing of this escalation committed; the next scan tries again.
                logger.exception("escalation of %s %s failed", kind.key, record_id)
    return escalated


@transaction.atomic
def escalate(*, kind: DeadlineKind, record_id: Any, now: datetime | None = None) -> bool:
    """Escalate one record's missed deadline, once. False when it is not due, has reached its state,
    or was escalated already (by this worker earlier or by another one now)."""
    now = now or timezone.now()
    record = kind.model._default_manager.select_for_update().filter(_overdue(kind, now), pk=record_id).first()
    if record is None:
        return False
    due_at = getattr(record, kind.due_field)
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                content_type=ContentType.objects.get_for_model(kind.model),
                object_id=record.pk,
                deadline=kind.code,
                due_at=due_at,
                escalated_at=now,
            )
    except IntegrityError:
        return False
    if kind.escalated_field:
        kind.model._default_manager.filter(pk=record.pk).update(**{kind.escalated_field: now})
        setattr(record, kind.escalated_field, now)
    recipients = escalation_recipients(kind, record)
    notice = kind.notice(record, due_at)
    notify(
        recipients=recipients,
        kind=kind.notification_kind,
        subject=notice.subject,
        body=notice.body,
        url=kind.url(record),
        dedupe_key=f"escalation:{kind.model._meta.label_lower}:{record.pk}:{kind.code}",
    )
    escalation.recipients = len(recipients)
    escalation.save(update_fields=["recipients"])
    kind.on_escalated(record, escalation)
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=record,
        summary=f"deadline missed: {kind.code} escalated to {len(recipients)} people",
    )
    return True
