"""What every step on a referral does: re-read it under a row lock, check the actor and the status,
save it with a new version, and write its history, case-timeline event and audit row; and the error a
refused step raises."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.services import case_event_record
from ruta.referrals.models import Referral, ReferralEvent


class ReferralError(Exception):
    """A refused change, with a stable code, a translated message and the field it concerns."""

    def __init__(self, code: str, message: Any, field: str = "non_field_errors") -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


def step_record(
    referral: Referral, actor: User, kind: str, old: str, summary: str, data: dict[str, Any] | None = None
) -> None:
    """The three records every step writes: referral history, case timeline, audit trail."""
    history_record(referral, actor, kind, old, summary, data)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if kind == "created" else AuditAction.TRANSITION,
        obj=referral,
        summary=f"referral {kind}: {summary}",
        changes={"status": [old, referral.status]} if old != referral.status else {},
    )


def history_record(
    referral: Referral, actor: User | None, kind: str, old: str, summary: str, data: dict[str, Any] | None = None
) -> None:
    """The referral's history and the case timeline (the deadline engine writes its own audit row)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    ReferralEvent.objects.create(
        referral=referral,
        at=timezone.now(),
        actor=user,
        kind=kind,
        from_status=old,
        to_status=referral.status,
        data=data or {},
    )
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=f"referral_{kind}",
        summary=f"{referral.reference}: {summary}",
        data={"referral": referral.reference, "status": referral.status, **(data or {})},
    )


def locked(referral: Referral) -> Referral:
    """Re-read the referral under a row lock, so two concurrent answers cannot both win."""
    return Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def expect_status(referral: Referral, *allowed: str) -> None:
    if referral.status not in allowed:
        raise ReferralError(
            "invalid_status",
            _("This referral is %(status)s; that step is not possible now.")
            % {"status": referral.get_status_display()},
            "status",
        )


def required_text(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise ReferralError("required", message, field)
    return value


def versioned_save(referral: Referral, fields: list[str]) -> None:
    referral.version += 1
    referral.save(update_fields=[*fields, "version", "updated_at"])
