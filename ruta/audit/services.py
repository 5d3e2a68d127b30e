"""Writing the audit trail. Callers run these inside the transaction of the change they record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

from ruta.audit.models import AuditAction, AuditEvent
from ruta.core import rows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruta.accounts.models import User

MAX_SUMMARY = 300


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_event(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reference: str = "",
    summary: str = "",
    reason: str = "",
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """The audit row ``audit_record`` writes, unsaved: for a caller that writes it together with
    the rows of the change it records (``ruta.core.rows.insert_together``)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        reference = reference or str(getattr(obj, "reference", "") or "")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return rows.new(
        AuditEvent,
        actor_id=user.pk if user else None,
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        object_reference=reference,
        summary=summary[:MAX_SUMMARY],
        reason=reason,
        changes=changes or {},
        ip_address=_client_ip(request),
    )


# Written on every read of a record: a plain insert (``ruta.core.rows``; AuditEvent.save only
# refuses updates, and nothing listens to its saves).
audit_record = rows.written(audit_event)


def audit_read(*, actor: User, obj: models.Model, request: HttpRequest | None = None, reason: str = "") -> AuditEvent:
    """Log that ``actor`` was shown ``obj`` (a person's record or anything marked sensitive)."""
    return audit_record(actor=actor, action=AuditAction.READ, obj=obj, request=request, reason=reason)
