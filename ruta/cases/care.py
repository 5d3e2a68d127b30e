"""Care work on a case: needs assessment, the care and protection plan (with supervisor approval),
services delivered and follow-ups. Each step needs the case to be able to proceed
(``protection.require_can_proceed``: consent to case work, and for a child SENAF notified and a
guardian or representative recorded)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.models import (
    CarePlan,
    CarePlanItem,
    Case,
    CaseMember,
    FollowUp,
    NeedArea,
    NeedAssessment,
    NeedLevel,
    ServiceDelivery,
)
from ruta.cases.permissions import CasePermission
from ruta.cases.protection import BEST_INTERESTS_SERVICES, best_interests_blockers, require_can_proceed
from ruta.cases.services import CaseError, case_claim, case_ensure_open, case_event_record, check_date_in_case
from ruta.institutions.models import Institution, InstitutionService, ServiceCategory
from ruta.policy import access


def _require_directory_service(institution: Institution, service: ServiceCategory, *, field: str) -> None:
    if not InstitutionService.objects.filter(
        institution=institution, category=service, is_active=True, institution__is_active=True
    ).exists():
        raise CaseError(
            _("%(institution)s does not offer “%(service)s” in the directory.")
            % {"institution": institution, "service": service.label},
            field=field,
        )


# --- Needs assessment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedEntry:
    area: str
    level: str = ""
    notes: str = ""
    due_on: date | None = None


@transaction.atomic
def needs_assessment_record(
    *, actor: User, case: Case, version: int, entries: Sequence[NeedEntry]
) -> list[NeedAssessment]:
    """Record or update areas of the needs assessment; an area without a level stays due on ``due_on``."""
    case_claim(case=case, version=version)
    case_ensure_open(case)
    require_can_proceed(case)
    existing = {need.area: need for need in NeedAssessment.objects.filter(case=case)}
    saved, changed = [], []
    now = timezone.now()
    for entry in entries:
        if entry.area not in NeedArea.values:
            raise CaseError(_("Unknown needs area."), field="area")
        if entry.level and entry.level not in NeedLevel.values:
            raise CaseError(_("Choose a valid level."), field=f"{entry.area}-level")
        if entry.due_on is not None:
            check_date_in_case(case, entry.due_on, field=f"{entry.area}-due_on", allow_future=True)
        need = existing.get(entry.area)
        if need is None and not (entry.level or entry.notes or entry.due_on):
            continue
        if need is None:
            need = NeedAssessment(case=case, area=entry.area)
        before = (need.level, need.notes, need.due_on)
        if before == (entry.level, entry.notes, entry.due_on) and need.pk:
            continue
        if entry.level and entry.level != need.level:
            need.assessed_at, need.assessed_by = now, actor
        elif not entry.level:
            need.assessed_at, need.assessed_by = None, None
        need.level, need.notes, need.due_on = entry.level, entry.notes, entry.due_on
        need.save()
        saved.append(need)
        changed.append(f"{entry.area}={entry.level or '-'}")
    if not changed:
        raise CaseError(_("Nothing to save: fill in at least one area."), code="empty")
    case_event_record(case=case, actor=actor, kind="needs_assessed", summary=", ".join(changed))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, summary="needs assessment recorded")
    return saved


# --- Care and protection plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItemInput:
    service: ServiceCategory
    institution: Institution
    starts_on: date
    ends_on: date | None = None


def current_plan(case: Case) -> CarePlan | None:
    return CarePlan.objects.filter(case=case, superseded_at__isnull=True).order_by("-created_at", "-id").first()


@transaction.atomic
def plan_save(
    *, actor: User, case: Case, version: int, goals: str, items: Sequence[PlanItemInput], submit: bool = False
) -> CarePlan:
    """Write a new version of the plan (the previous one is kept, superseded); optionally submit it."""
    case_claim(case=case, version=version)
    case_ensure_open(case)
    require_can_proceed(case)
    if not goals.strip():
        raise CaseError(_("Write the goals of the plan."), field="goals")
    if not items:
        raise CaseError(_("Add at least one service to the plan."), field="items")
    for index, item in enumerate(items):
        _require_directory_service(item.institution, item.service, field=f"items-{index}-institution")
        check_date_in_case(case, item.starts_on, field=f"items-{index}-starts_on", allow_future=True)
        if item.ends_on is not None and item.ends_on < item.starts_on:
            raise CaseError(_("A service cannot end before it starts."), field=f"items-{index}-ends_on")
    now = timezone.now()
    CarePlan.objects.filter(case=case, superseded_at__isnull=True).update(superseded_at=now)
    plan = CarePlan.objects.create(case=case, goals=goals, author=actor, submitted_at=now if submit else None)
    CarePlanItem.objects.bulk_create(
        CarePlanItem(
            plan=plan,
            service=item.service,
            institution=item.institution,
            starts_on=item.starts_on,
            ends_on=item.ends_on,
        )
        for item in items
    )
    case_event_record(
        case=case,
        actor=actor,
        kind="plan_submitted" if submit else "plan_saved",
        summary=", ".join(item.service.code for item in items),
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, summary="care plan saved")
    return plan


@transaction.atomic
def plan_submit(*, actor: User, case: Case, version: int, plan: CarePlan) -> CarePlan:
    case_claim(case=case, version=version)
    case_ensure_open(case)
    require_can_proceed(case)
    if plan.case_id != case.pk or plan.superseded_at is not None or plan.submitted_at is not None:
        raise CaseError(_("Only the current draft plan can be submitted."), code="not_draft")
    plan.submitted_at, plan.returned_comment = timezone.now(), ""
    plan.save(update_fields=["submitted_at", "returned_comment", "updated_at"])
    case_event_record(case=case, actor=actor, kind="plan_submitted")
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=case, summary="care plan submitted")
    return plan


@transaction.atomic
def plan_decide(*, actor: User, case: Case, version: int, plan: CarePlan, approve: bool, comment: str = "") -> CarePlan:
    """Approve the plan, or return it to its author with a comment: CASE_APPROVE, never the author."""
    case_claim(case=case, version=version)
    case_ensure_open(case)
    if plan.case_id != case.pk or plan.superseded_at is not None or plan.submitted_at is None or plan.approved_at:
        raise CaseError(_("This plan is not awaiting approval."), code="not_submitted")
    if plan.author_id == actor.pk:
        raise CaseError(_("The author of a plan cannot approve it."), code="own_plan")
    if not access.visible(actor, CasePermission.APPROVE, Case.objects.filter(pk=case.pk)).exists():
        raise CaseError(_("You cannot approve plans of this case."), code="not_approver")
    if approve:
        require_can_proceed(case)
        plan.approved_at, plan.approved_by = timezone.now(), actor
        plan.save(update_fields=["approved_at", "approved_by", "updated_at"])
    else:
        if not comment.strip():
            raise CaseError(_("Say what has to change in the plan."), field="comment")
        plan.submitted_at, plan.returned_comment = None, comment
        plan.save(update_fields=["submitted_at", "returned_comment", "updated_at"])
    kind = "plan_approved" if approve else "plan_returned"
    case_event_record(case=case, actor=actor, kind=kind, summary=comment)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=case, summary=kind)
    return plan


# --- Services delivered and follow-up --------------------------------------------------------------


@transaction.atomic
def service_record(
    *,
    actor: User,
    case: Case,
    version: int,
    service: ServiceCategory,
    institution: Institution,
    delivered_on: date,
    notes: str = "",
) -> ServiceDelivery:
    case_claim(case=case, version=version)
    case_ensure_open(case)
    require_can_proceed(case)
    _require_directory_service(institution, service, field="institution")
    check_date_in_case(case, delivered_on, field="delivered_on")
    purpose = BEST_INTERESTS_SERVICES.get(service.code)
    if purpose:
        blockers = best_interests_blockers(case, purpose=purpose)
        if blockers:
            raise CaseError(" ".join(blockers), field="service", code="best_interests")
    delivery = ServiceDelivery.objects.create(
        case=case, service=service, institution=institution, delivered_on=delivered_on, notes=notes, recorded_by=actor
    )
    case_event_record(case=case, actor=actor, kind="service_delivered", summary=f"{service.code} ({institution})")
    audit_record(actor=actor, action=AuditAction.CREATE, obj=delivery, reference=case.reference, summary=service.code)
    return delivery


@transaction.atomic
def follow_up_schedule(
    *, actor: User, case: Case, version: int, due_on: date, purpose: str, assigned_to: Any
) -> FollowUp:
    case_claim(case=case, version=version)
    case_ensure_open(case)
    require_can_proceed(case)
    check_date_in_case(case, due_on, field="due_on", allow_future=True)
    if not purpose.strip():
        raise CaseError(_("Say what the follow-up is for."), field="purpose")
    if not CaseMember.objects.filter(case=case, user=assigned_to, is_active=True).exists():
        raise CaseError(_("Assign the follow-up to a member of the case team."), field="assigned_to")
    follow_up = FollowUp.objects.create(
        case=case, due_on=due_on, purpose=purpose, assigned_to=assigned_to, recorded_by=actor
    )
    case_event_record(case=case, actor=actor, kind="follow_up_scheduled", summary=f"{due_on}: {purpose}")
    audit_record(actor=actor, action=AuditAction.CREATE, obj=follow_up, reference=case.reference)
    return follow_up


@transaction.atomic
def follow_up_complete(*, actor: User, case: Case, version: int, follow_up: FollowUp, outcome: str) -> FollowUp:
    case_claim(case=case, version=version)
    case_ensure_open(case)
    if follow_up.case_id != case.pk or follow_up.done_at is not None:
        raise CaseError(_("This follow-up is not pending."), code="not_pending")
    if not outcome.strip():
        raise CaseError(_("Write what came out of the follow-up."), field="outcome")
    follow_up.done_at, follow_up.outcome = timezone.now(), outcome
    follow_up.save(update_fields=["done_at", "outcome", "updated_at"])
    case_event_record(case=case, actor=actor, kind="follow_up_done", summary=follow_up.purpose)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=follow_up, reference=case.reference)
    return follow_up
