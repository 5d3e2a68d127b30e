"""Unusual access: one user reading more than N person or case records within M minutes.

A periodic task looks at the audit trail's ``read`` rows of the last window and tells every
administrator, once per user and window (the notification's dedupe key carries both)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from ruta.audit.models import AuditAction, AuditEvent
from ruta.core.texts import Text
from ruta.notifications.services import notify

WATCHED_TYPES = ("persons.person", "persons.personidentity", "cases.case")


def administrators() -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, memberships__is_active=True, memberships__role="administrator")
        .distinct()
    )


def unusual_access_scan(*, now: Any = None) -> list[tuple[int, int]]:
    """Returns (user id, distinct records read) for each user over the threshold in the window."""
    now = now or timezone.now()
    minutes = settings.RUTA_UNUSUAL_ACCESS_MINUTES
    window = int(now.timestamp()) // (minutes * 60)
    since = now - timedelta(minutes=minutes)
    heavy = list(
        AuditEvent.objects.filter(
            action=AuditAction.READ, object_type__in=WATCHED_TYPES, at__gte=since, actor__isnull=False
        )
        .values("actor_id")
        .annotate(records=Count("object_id", distinct=True))
        .filter(records__gt=settings.RUTA_UNUSUAL_ACCESS_READS)
        .values_list("actor_id", "records")
    )
    if not heavy:
        return []
    admins = administrators()
    users = get_user_model().objects.in_bulk([actor_id for actor_id, _ in heavy])
    for actor_id, records in heavy:
        user = users.get(actor_id)
        name = (user.get_full_name() or user.get_username()) if user else str(actor_id)
        notify(
            recipients=admins,
            kind="security.unusual_access",
            subject=Text(
                gettext_noop("Unusual access: %(user)s read %(count)s records in %(minutes)s minutes"),
                {"user": name, "count": records, "minutes": minutes},
            ),
            body=Text(gettext_noop("Check the audit log for this user and ask them why if it was not expected.")),
            url=f"/audit/?username={user.get_username() if user else ''}",
            dedupe_key=f"unusual_access:{actor_id}:{window}",
        )
    return heavy
