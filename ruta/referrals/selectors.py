"""Reads of referrals that depend on who asks.

A referral has two sides:

- the **sending side**: the case team (REFERRAL_SEND: own/team), and whoever may see the case
  (CASE_VIEW, e.g. the sending institution's supervisors);
- the **receiving side**: users holding REFERRAL_RECEIVE for the institution it is addressed to.
  They see the referral and only the sections the sender shared, never the rest of the case.

Missing and forbidden look the same (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from ruta.accounts.models import User
from ruta.cases.models import Case, CaseMember
from ruta.cases.permissions import CasePermission
from ruta.deadlines.models import Escalation
from ruta.policy import access
from ruta.policy.permissions import Permission
from ruta.policy.roles import Scope
from ruta.referrals.models import (
    LegalMilestone,
    Referral,
    ReferralPerson,
    ReferralStatus,
)
from ruta.referrals.permissions import ReferralPermission

EVERYTHING = Q()


def _q(user: User, permission: Permission, queryset: QuerySet[Any]) -> Q:
    """``access.scope_filter`` as a Q (``Q()`` when the grant is national)."""
    condition = access.scope_filter(user, permission, queryset.model)
    return EVERYTHING if condition is None else condition


def receiving_institutions(user: User, permission: Permission = ReferralPermission.RECEIVE) -> set[int] | None:
    """Institutions whose incoming referrals ``user`` handles; None means all (a national grant)."""
    found = access.grants(user, permission)
    if any(grant.scope == Scope.NATIONAL for grant in found):
        return None
    return {grant.institution_id for grant in found if grant.scope >= Scope.INSTITUTION}


def receiving_q(user: User) -> Q:
    institutions = receiving_institutions(user)
    if institutions is None:
        return _q(user, ReferralPermission.RECEIVE, Referral.objects.all())
    if not institutions:
        return access.NOTHING
    return _q(user, ReferralPermission.RECEIVE, Referral.objects.all()) & Q(to_institution_id__in=institutions)


def sending_q(user: User) -> Q:
    condition = access.NOTHING
    if access.has_perm(user, ReferralPermission.SEND):
        condition |= _q(user, ReferralPermission.SEND, Referral.objects.all())
    if access.has_perm(user, CasePermission.VIEW):
        case_filter = access.scope_filter(user, CasePermission.VIEW, Case)
        if case_filter is None:
            return EVERYTHING
        condition |= Q(case_id__in=Case.objects.filter(case_filter).values("pk"))
    return condition


def _base() -> QuerySet[Referral]:
    return Referral.objects.select_related("case", "from_institution", "to_institution", "service__category")


def referrals_sent(user: User) -> QuerySet[Referral]:
    return _base().filter(sending_q(user)) if _reaches(user) else Referral.objects.none()


def referrals_received(user: User) -> QuerySet[Referral]:
    if not access.has_perm(user, ReferralPermission.RECEIVE):
        return Referral.objects.none()
    # Drafts are the sender's business until sent.
    return _base().filter(receiving_q(user)).exclude(status=ReferralStatus.DRAFT)


def _reaches(user: User) -> bool:
    return access.has_perm(user, ReferralPermission.SEND) or access.has_perm(user, CasePermission.VIEW)


@dataclass(frozen=True)
class ReferralView:
    """One referral as ``user`` may see it, with what they may do on it."""

    referral: Referral
    sender_side: bool
    receiver_side: bool
    is_sender: bool
    can_send: bool
    can_override: bool
    can_answer: bool
    can_complete: bool
    can_revoke: bool
    can_record_milestone: bool


def referral_for(user: User, reference: str) -> ReferralView:
    """The referral ``reference`` as ``user`` sees it, or 404 (missing or not theirs)."""
    referral = (
        _base()
        .prefetch_related(
            Prefetch("referred", queryset=ReferralPerson.objects.select_related("person").order_by("id")),
            Prefetch("escalations", queryset=Escalation.objects.order_by("escalated_at")),
        )
        .filter(reference=reference)
        .first()
    )
    if referral is None:
        raise Http404
    view = referral_view(user, referral)
    if not (view.sender_side or view.receiver_side):
        raise Http404
    return view


def referral_view(user: User, referral: Referral) -> ReferralView:
    sender_side = Referral.objects.filter(sending_q(user), pk=referral.pk).exists() if _reaches(user) else False
    receiver_side = (
        referral.status != ReferralStatus.DRAFT
        and access.has_perm(user, ReferralPermission.RECEIVE)
        and Referral.objects.filter(receiving_q(user), pk=referral.pk).exists()
    )
    is_team_member = CaseMember.objects.filter(case_id=referral.case_id, user=user, is_active=True).exists()
    may_send = (
        is_team_member
        and access.has_perm(user, ReferralPermission.SEND)
        and Referral.objects.filter(_q(user, ReferralPermission.SEND, Referral.objects.all()), pk=referral.pk).exists()
    )
    override_institutions = receiving_institutions(user, ReferralPermission.CONSENT_OVERRIDE)
    may_override = sender_side and (
        override_institutions is None or referral.from_institution_id in override_institutions
    )
    status = referral.status
    legal = receiving_institutions(user, ReferralPermission.LEGAL_MILESTONE_RECORD)
    return ReferralView(
        referral=referral,
        sender_side=sender_side,
        receiver_side=receiver_side,
        is_sender=may_send,
        can_send=may_send and status == ReferralStatus.DRAFT,
        can_override=may_override and status == ReferralStatus.DRAFT,
        can_answer=receiver_side and status == ReferralStatus.SENT,
        can_complete=receiver_side and status == ReferralStatus.ACCEPTED,
        can_revoke=may_send and status in (ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED),
        can_record_milestone=(
            receiver_side
            and status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
            and (legal is None or referral.to_institution_id in legal)
            and access.has_perm(user, ReferralPermission.LEGAL_MILESTONE_RECORD)
        ),
    )


def milestones_visible(user: User, case: Case, *, shared_legal: bool = False) -> QuerySet[LegalMilestone]:
    """Legal milestones of ``case`` that ``user`` may see: the case team (CASE_VIEW) sees all; the
    institutions that recorded them see theirs; a recipient sees all when "legal" was shared."""
    rows = LegalMilestone.objects.filter(case=case).select_related("institution", "recorded_by")
    if shared_legal or Case.objects.filter(_q(user, CasePermission.VIEW, Case.objects.all()), pk=case.pk).exists():
        return rows
    condition = access.NOTHING
    for permission in (ReferralPermission.LEGAL_MILESTONE_RECORD, ReferralPermission.RECEIVE):
        if access.has_perm(user, permission):
            condition |= _q(user, permission, rows)
    return rows.filter(condition)
