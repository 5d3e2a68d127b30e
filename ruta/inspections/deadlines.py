"""Remedy orders and follow-up visits on the deadline engine (``ruta.deadlines``): a missed one is
escalated once to the inspection supervisors of the visit's inspectorate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.texts import Text
from ruta.deadlines.models import Escalation
from ruta.deadlines.registry import DeadlineKind, Notice
from ruta.inspections.models import Infraction, InspectionType, Visit, VisitStatus
from ruta.inspections.permissions import InspectionPermission


def _when(due_at: datetime) -> str:
    return timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")


def _remedy_notice(infraction: Infraction, due_at: datetime) -> Notice:
    return Notice(
        subject=Text(
            gettext_noop("Remedy order missed at %(establishment)s"),
            {"establishment": infraction.visit.establishment.name},
        ),
        body=Text(gettext_noop("The remedy ordered at the inspection was due on %(due)s."), {"due": _when(due_at)}),
    )


def _follow_up_notice(visit: Visit, due_at: datetime) -> Notice:
    return Notice(
        subject=Text(
            gettext_noop("Follow-up inspection overdue at %(establishment)s"),
            {"establishment": visit.establishment.name},
        ),
        body=Text(
            gettext_noop("The follow-up visit was due by %(due)s and has not been made."), {"due": _when(due_at)}
        ),
    )


def _escalated(record: Any, escalation: Escalation) -> None:
    audit_record(
        actor=None,
        action=AuditAction.TRANSITION,
        obj=record,
        summary=f"inspection {escalation.deadline} deadline missed: escalated",
    )


REMEDY_DEADLINE = DeadlineKind(
    model=Infraction,
    code="remedy",
    label=_("Remedy order"),
    due_field="remedy_due_at",
    pending=Q(remedied_at__isnull=True),
    permission=InspectionPermission.ESCALATION_RECEIVE,
    notification_kind="inspection_escalation",
    notice=_remedy_notice,
    url=lambda infraction: f"/inspections/visits/{infraction.visit.uuid}/",
    on_escalated=_escalated,
    recipients_reach=lambda infraction: infraction.visit,
    recipients_institutions=lambda infraction: [infraction.visit.institution_id],
    escalated_field="remedy_escalated_at",
)

FOLLOW_UP_DEADLINE = DeadlineKind(
    model=Visit,
    code="follow_up",
    label=_("Follow-up visit"),
    due_field="follow_up_due_at",
    pending=Q(status=VisitStatus.PLANNED, inspection_type=InspectionType.FOLLOW_UP),
    permission=InspectionPermission.ESCALATION_RECEIVE,
    notification_kind="inspection_escalation",
    notice=_follow_up_notice,
    url=lambda visit: f"/inspections/visits/{visit.uuid}/",
    on_escalated=_escalated,
    recipients_institutions=lambda visit: [visit.institution_id],
    escalated_field="follow_up_escalated_at",
)
