from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from ruta.audit.models import AuditEvent
from ruta.policy import access
from ruta.policy.permissions import PlatformPermission

if TYPE_CHECKING:
    from ruta.accounts.models import User

access.register(
    AuditEvent,
    access.ScopeRules(
        own=lambda user: Q(actor=user),
        # Through the user model, not ``accounts``: the audit trail sits below the app that keeps users.
        institution=lambda ids: Q(
            actor_id__in=get_user_model().objects.filter(memberships__institution_id__in=ids).values("pk")
        ),
    ),
)


def audit_events_visible(
    *,
    actor: User,
    username: str = "",
    action: str = "",
    object_type: str = "",
    object_reference: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = access.visible(actor, PlatformPermission.AUDIT_VIEW, AuditEvent.objects.select_related("actor"))
    if username:
        events = events.filter(actor__username=username)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_reference:
        events = events.filter(object_reference=object_reference)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events
