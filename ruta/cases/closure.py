"""Closing a case (asked by its team, decided by a supervisor who did not ask) and reopening it.

A case with a child closes only once the child-protection rules allow it (``protection``)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.models import Case, CaseClosure, CaseReopening, ClosureReason, Stage
from ruta.cases.permissions import CasePermission
from ruta.cases.protection import best_interests_blockers, child_blockers
from ruta.cases.services import CaseError, case_claim, case_ensure_open, case_event_record, check_date_in_case
from ruta.policy import access


@transaction.atomic
def case_closure_request(
    *, actor: User, case: Case, version: int, reason: ClosureReason, closed_on: date, notes: str = ""
) -> CaseClosure:
    case_claim(case=case, version=version)
    case_ensure_open(case)
    if case.stage == Stage.CLOSURE_REQUESTED:
        raise CaseError(_("A closure is already awaiting approval."), code="closure_pending")
    if not reason.is_active:
        raise CaseError(_("Choose a closure reason from the list."), field="reason")
    check_date_in_case(case, closed_on, field="closed_on")
    blockers = child_blockers(case) + best_interests_blockers(case, purpose="closure")
    if blockers:
        raise CaseError(" ".join(blockers), code="child_protection")
    closure = CaseClosure.objects.create(case=case, reason=reason, closed_on=closed_on, notes=notes, requested_by=actor)
    case_event_record(case=case, actor=actor, kind="closure_requested", summary=reason.code)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=case, summary=f"closure requested ({reason.code})")
    return closure


@transaction.atomic
def case_closure_decide(*, actor: User, case: Case, version: int, approve: bool, comment: str = "") -> CaseClosure:
    """A supervisor (CASE_APPROVE on the case) who did not ask for the closure approves or rejects it."""
    case_claim(case=case, version=version)
    closure = CaseClosure.objects.filter(case=case, approved__isnull=True).order_by("-created_at", "-id").first()
    if closure is None or case.stage != Stage.CLOSURE_REQUESTED:
        raise CaseError(_("No closure is awaiting approval."), code="no_closure_pending")
    if closure.requested_by_id == actor.pk:
        raise CaseError(_("Whoever asked for the closure cannot approve it."), code="own_request")
    if not access.visible(actor, CasePermission.APPROVE, Case.objects.filter(pk=case.pk)).exists():
        raise CaseError(_("You cannot approve closures of this case."), code="not_approver")
    if not approve and not comment.strip():
        raise CaseError(_("Say why the closure is rejected."), field="comment")
    closure.approved, closure.decided_by, closure.decided_at = approve, actor, timezone.now()
    closure.decision_comment = comment
    closure.save(update_fields=["approved", "decided_by", "decided_at", "decision_comment", "updated_at"])
    kind = "closure_approved" if approve else "closure_rejected"
    case_event_record(case=case, actor=actor, kind=kind, summary=comment)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=case, summary=kind)
    return closure


@transaction.atomic
def case_reopen(*, actor: User, case: Case, version: int, reason: str) -> CaseReopening:
    case_claim(case=case, version=version)
    if case.stage != Stage.CLOSED:
        raise CaseError(_("Only a closed case can be reopened."), code="not_closed")
    if not reason.strip():
        raise CaseError(_("Say why the case is reopened."), field="reason")
    reopening = CaseReopening.objects.create(case=case, reason=reason, reopened_by=actor)
    case_event_record(case=case, actor=actor, kind="case_reopened")
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=case, summary="case reopened")
    return reopening
