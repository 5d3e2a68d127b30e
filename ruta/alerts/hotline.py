"""Line 145: logging calls (a call may also become an alert) and linking repeat callers by a keyed
hash of their number, never the number itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.alerts.intake import AlertInput, AlertInputError, Submitted, alert_submit
from ruta.alerts.models import CallerType, Channel, HotlineCall
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core import crypto


def phone_token(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 8:  # a Honduran number without the country code
        digits = "504" + digits
    return crypto.search_token(digits, purpose="hotline-caller")[:24] if digits else ""


@dataclass
class HotlineCallInput:
    call_started_at: datetime
    duration_seconds: int
    caller_type: str
    caller_phone: str = ""
    topic_note: str = ""


@transaction.atomic
def hotline_call_log(
    *, actor: User, call: HotlineCallInput, alert_data: AlertInput | None
) -> tuple[HotlineCall, Submitted | None]:
    """Log a call to line 145; with ``alert_data`` the call also becomes an alert (channel hotline)."""
    if call.caller_type not in CallerType.values:
        raise AlertInputError({"caller_type": [("invalid_choice", _("Choose who called."))]})
    submitted = None
    if alert_data is not None:
        submitted = alert_submit(
            actor=actor, data=alert_data, channel=Channel.HOTLINE, received_at=call.call_started_at
        )
    record = HotlineCall.objects.create(
        call_started_at=call.call_started_at,
        duration_seconds=call.duration_seconds,
        caller_type=call.caller_type,
        caller_phone=call.caller_phone.strip(),
        caller_token=phone_token(call.caller_phone),
        alert=submitted.alert if submitted else None,
        topic_note=call.topic_note[:200],
        operator=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record, summary="hotline call logged")
    return record, submitted


def previous_calls(call: HotlineCall) -> list[HotlineCall]:
    """Earlier calls from the same number (keyed hash), newest first."""
    if not call.caller_token:
        return []
    return list(
        HotlineCall.objects.filter(caller_token=call.caller_token, call_started_at__lt=call.call_started_at)
        .exclude(pk=call.pk)
        .select_related("alert")
        .order_by("-call_started_at")[:20]
    )
