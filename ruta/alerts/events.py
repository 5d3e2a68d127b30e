"""An alert's timeline entries, written by intake, triage and the reporter-contact reveal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from ruta.alerts.models import Alert, AlertEvent
from ruta.core import rows
from ruta.policy.access import Reader


def event_row(
    alert: Alert,
    *,
    actor: Reader,
    kind: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    note: str = "",
    at: datetime | None = None,
) -> AlertEvent:
    """A timeline entry, unsaved (``ruta.core.rows``): ``event`` writes it alone, intake with the
    alert's other rows."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return rows.new(
        AlertEvent,
        alert_id=alert.pk,
        at=at or timezone.now(),
        actor_id=user.pk if user else None,
        kind=kind,
        old=old or {},
        new=new or {},
        note=note,
    )


event = rows.written(event_row)
