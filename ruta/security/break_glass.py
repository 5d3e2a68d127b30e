"""Break-the-glass: a supervisor opens one record outside their scope, with a written reason.

The grant is time-limited and honoured by the access policy itself (``access.visible`` and
``get_visible_or_404``) for that record only and only for reading permissions, so every view and API
endpoint that goes through the policy honours it without knowing about it. The record's owner and
the commission (duty officers and administrators) are told; the audit log shows action
``break_glass`` with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.texts import Text
from ruta.notifications.services import notify
from ruta.policy import access
from ruta.policy.permissions import Permission, PlatformPermission
from ruta.security.models import BreakGlassGrant

# Reading permissions a grant honours (apps add theirs from plugin.py). Writing still needs the normal scope.
HONOURED: set[Permission] = set()


def honour_in_emergency(*permissions: Permission) -> None:
    """Let a break-the-glass grant widen these reading permissions (called from an app's plugin.py)."""
    HONOURED.update(permissions)


# Fields that name the people responsible for a record, tried in this order.
OWNER_FIELDS = ("owner", "assigned_to", "created_by", "opened_by")
COMMISSION_ROLES = ("duty_officer", "administrator")
MIN_REASON = 20


class BreakGlassError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _pk_output_field(model: type[models.Model]) -> models.Field[Any, Any]:
    kind = model._meta.pk.get_internal_type() if model._meta.pk else "BigAutoField"
    if kind in ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"):
        return models.BigIntegerField()
    if kind == "UUIDField":
        return models.UUIDField()
    return models.CharField(max_length=64)


def reach(user: User, permission: Permission, model: type[models.Model]) -> Q | None:
    """The records of ``model`` that ``user`` opened by break-the-glass and whose grant is running."""
    if permission not in HONOURED or not access.has_perm(user, PlatformPermission.BREAK_GLASS):
        return None
    running = (
        BreakGlassGrant.objects.filter(user=user, object_type=model._meta.label_lower, expires_at__gt=timezone.now())
        .annotate(target=Cast("object_id", output_field=_pk_output_field(model)))
        .values("target")
    )
    return Q(pk__in=running)


def eligible_models() -> list[type[models.Model]]:
    """Models the access policy protects and a reading permission could open."""
    return sorted(access.registered_models(), key=lambda m: m._meta.label_lower)


@dataclass(frozen=True)
class Opened:
    grant: BreakGlassGrant
    obj: models.Model


def _find(model: type[models.Model], identifier: str) -> models.Model | None:
    identifier = identifier.strip()
    field_names = {f.name for f in model._meta.get_fields()}
    if "reference" in field_names:
        found = model._default_manager.filter(reference=identifier).first()  # type: ignore[misc]
        if found is not None:
            return found
    try:
        return model._default_manager.filter(pk=identifier).first()
    except (ValueError, TypeError):
        return None
    except Exception:  # noqa: BLE001 - a malformed key for this pk type (e.g. text for a UUID on PostgreSQL)
        return None


def owners_of(obj: models.Model) -> list[Any]:
    user_model = get_user_model()
    found = []
    for name in OWNER_FIELDS:
        field = next((f for f in obj._meta.get_fields() if f.name == name), None)
        if field is not None and getattr(field, "related_model", None) is user_model:
            owner = getattr(obj, name)
            if owner is not None:
                found.append(owner)
    return found


def commission_users() -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, memberships__is_active=True, memberships__role__in=COMMISSION_ROLES)
        .distinct()
    )


def break_glass_open(*, actor: User, object_type: str, identifier: str, reason: str, request: Any = None) -> Opened:
    """Open one record outside the actor's scope for ``RUTA_BREAK_GLASS_MINUTES``, with a reason."""
    if not access.has_perm(actor, PlatformPermission.BREAK_GLASS):
        raise PermissionError("break-the-glass is not granted to this user")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise BreakGlassError(
            "reason",
            _("Explain why, in at least %(count)s characters: it is shown to the commission.") % {"count": MIN_REASON},
        )
    models_by_label = {m._meta.label_lower: m for m in eligible_models()}
    model = models_by_label.get(object_type)
    if model is None:
        raise BreakGlassError("object_type", _("Choose a type of record."))
    obj = _find(model, identifier or "")
    if obj is None:
        raise BreakGlassError("identifier", _("No record of this type has that reference."))
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=actor,
            object_type=object_type,
            object_id=str(obj.pk),
            object_reference=str(getattr(obj, "reference", "") or "")[:64],
            reason=reason,
            expires_at=now + timedelta(minutes=settings.RUTA_BREAK_GLASS_MINUTES),
        )
        audit_record(
            actor=actor,
            action=AuditAction.BREAK_GLASS,
            obj=obj,
            summary=f"break-the-glass until {grant.expires_at:%Y-%m-%d %H:%M} UTC",
            reason=reason,
            request=request,
        )
        reference = grant.object_reference or f"{object_type}:{obj.pk}"
        subject = Text(gettext_noop("Break-the-glass access to %(reference)s"), {"reference": reference})
        body = Text(
            gettext_noop("%(user)s opened %(reference)s outside their scope until %(until)s. Reason: %(reason)s"),
            {
                "user": actor.get_full_name() or actor.get_username(),
                "reference": reference,
                "until": timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M"),
                "reason": reason,
            },
        )
        recipients = [u for u in owners_of(obj) + commission_users() if u.pk != actor.pk]
        notify(
            recipients=recipients,
            kind="security.break_glass",
            subject=subject,
            body=body,
            dedupe_key=f"break_glass:{grant.pk}",
            email=False,  # the reason may name people: it stays inside Ruta
        )
    return Opened(grant=grant, obj=obj)


def grants_running(user: User) -> list[BreakGlassGrant]:
    return list(BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()))
