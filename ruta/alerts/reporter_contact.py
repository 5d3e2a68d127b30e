"""Revealing how to reach the reporter (their contact, the caller's number): only to someone who
may triage the alert, with a reason, logged on the timeline and in the audit."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.alerts.events import event
from ruta.alerts.models import Alert, AlertEventKind, HotlineCall
from ruta.alerts.triage import TriageError, require_triage
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record


@transaction.atomic
def alert_reveal_contact(*, actor: User, alert: Alert, reason: str) -> dict[str, str]:
    """Show the reporter's contact and the caller's number to someone who needs it, with a reason."""
    require_triage(actor, alert)
    if not reason.strip():
        raise TriageError(_("Say why you need the contact."))
    alert = Alert.objects.get(pk=alert.pk)
    call = HotlineCall.objects.filter(alert=alert).first()
    event(alert, actor=actor, kind=AlertEventKind.CONTACT_REVEALED, note=reason.strip())
    audit_record(
        actor=actor, action=AuditAction.READ, obj=alert, summary="reporter contact revealed", reason=reason[:200]
    )
    return {"reporter_contact": alert.reporter_contact, "caller_phone": call.caller_phone if call else ""}
