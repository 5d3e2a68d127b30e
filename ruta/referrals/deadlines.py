"""The two deadlines of a sent referral (answer and completion): how long each urgency allows, and how
a missed one is escalated through the deadline engine (``ruta.deadlines``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.texts import Text
from ruta.deadlines.models import Escalation
from ruta.deadlines.registry import DeadlineKind, Notice
from ruta.policy import access
from ruta.policy.permissions import PlatformPermission
from ruta.referrals.models import DEFAULT_DEADLINES, Deadline, Referral, ReferralDeadlineRule, ReferralStatus
from ruta.referrals.steps import ReferralError, history_record, require


def deadlines_for(urgency: str) -> tuple[timedelta, timedelta]:
    rule = ReferralDeadlineRule.objects.filter(urgency=urgency).first()
    if rule is not None:
        return rule.accept_within, rule.complete_within
    return DEFAULT_DEADLINES[urgency]


def _deadline_notice(deadline: str, referral: Referral, due_at: datetime) -> Notice:
    name = Text(gettext_noop("answer") if deadline == Deadline.ACCEPTANCE else gettext_noop("completion"))
    return Notice(
        subject=Text(
            gettext_noop("Referral %(reference)s: %(deadline)s deadline missed"),
            {"reference": referral.reference, "deadline": name.as_json()},
        ),
        body=Text(
            gettext_noop("The %(deadline)s deadline of this referral passed on %(due)s."),
            {"deadline": name.as_json(), "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")},
        ),
    )


def _deadline_timeline(referral: Referral, escalation: Escalation) -> None:
    deadline = escalation.deadline
    history_record(referral, None, "escalated", referral.status, f"{deadline} deadline missed", {"deadline": deadline})


def _deadline(deadline: Deadline, due_field: str, pending: Q) -> DeadlineKind:
    """Both deadlines count from sending; a missed one goes to the holders of ESCALATION_RECEIVE at
    the sending institution whose scope reaches the case (its supervisors, by territory if they have one)."""
    return DeadlineKind(
        model=Referral,
        code=deadline.value,
        label=deadline.label,
        due_field=due_field,
        pending=pending,
        permission=PlatformPermission.ESCALATION_RECEIVE,
        recipients_reach=lambda referral: referral.case,
        recipients_institutions=lambda referral: [referral.from_institution_id],
        notification_kind="referral_escalation",
        notice=lambda referral, due_at: _deadline_notice(deadline, referral, due_at),
        url=lambda referral: f"/referrals/{referral.reference}/",
        on_escalated=_deadline_timeline,
    )


ACCEPTANCE_DEADLINE = _deadline(Deadline.ACCEPTANCE, "accept_due_at", Q(status=ReferralStatus.SENT))
COMPLETION_DEADLINE = _deadline(
    Deadline.COMPLETION, "complete_due_at", Q(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
)


@transaction.atomic
def deadline_rule_save(*, actor: User, rule: ReferralDeadlineRule) -> ReferralDeadlineRule:
    """Change the deadlines of an urgency (administrators, through the Django admin)."""
    require(access.has_perm(actor, PlatformPermission.CONFIG_MANAGE))
    if rule.accept_within <= timedelta() or rule.complete_within <= timedelta():
        raise ReferralError("invalid_duration", _("Deadlines must be positive."), "accept_within")
    rule.save()
    audit_record(
        actor=actor,
        action=AuditAction.CONFIG,
        obj=rule,
        summary=f"referral deadlines {rule.urgency}: {rule.accept_within} / {rule.complete_within}",
    )
    return rule
