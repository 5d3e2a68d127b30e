"""Readable, translated names for timeline events (case timeline, referral history).

Events store a stable machine code (``kind``); people read its label in their language. A code
that has no label yet is shown as is rather than hidden."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, Promise] = {
    "case_opened": _("Case opened"),
    "case_reopened": _("Case reopened"),
    "person_added": _("Person added"),
    "person_merged": _("Duplicate person merged"),
    "identification_recorded": _("Identification decision recorded"),
    "reflection_period_recorded": _("Reflection and recovery period recorded"),
    "consent_recorded": _("Consent recorded"),
    "consent_withdrawn": _("Consent withdrawn"),
    "child_protection_notified": _("Child-protection authority notified"),
    "best_interests_recorded": _("Best-interests decision recorded"),
    "needs_assessed": _("Needs assessed"),
    "plan_saved": _("Plan saved (draft)"),
    "plan_submitted": _("Plan submitted for approval"),
    "plan_approved": _("Plan approved"),
    "plan_returned": _("Plan returned for changes"),
    "service_delivered": _("Service delivered"),
    "follow_up_scheduled": _("Follow-up scheduled"),
    "follow_up_done": _("Follow-up done"),
    "member_added": _("Team member added"),
    "member_removed": _("Team member removed"),
    "closure_requested": _("Closure requested"),
    "closure_approved": _("Closure approved"),
    "closure_rejected": _("Closure rejected"),
    "created": _("Referral prepared"),
    "sent": _("Referral sent"),
    "received": _("Referral received"),
    "accepted": _("Referral accepted"),
    "declined": _("Referral declined"),
    "completed": _("Referral completed"),
    "revoked": _("Referral revoked"),
    "consent_overridden": _("Sent without consent (override recorded)"),
    "escalation": _("Missed deadline escalated"),
    "legal_milestone": _("Legal-process milestone recorded"),
}


def event_label(kind: str) -> str:
    """The label of an event code; referral steps on the case timeline carry a ``referral_`` prefix."""
    label = EVENT_LABELS.get(kind) or EVENT_LABELS.get(kind.removeprefix("referral_"))
    return str(label) if label is not None else kind
