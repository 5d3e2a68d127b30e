"""The alerts' retention policy: a closed alert's reporter contact is erased after the period."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models

from ruta.alerts.models import Alert


def _closed_with_contact(cutoff: datetime) -> models.QuerySet[Alert]:
    return Alert.objects.filter(is_open=False, closed_at__lt=cutoff).exclude(reporter_contact="")


def reporter_contacts_due(cutoff: datetime) -> int:
    return _closed_with_contact(cutoff).count()


def reporter_contacts_erase(cutoff: datetime) -> int:
    # An empty string stays empty in the encrypted column, so this is a plain UPDATE.
    erased: Any = _closed_with_contact(cutoff).update(reporter_contact="")
    return int(erased)
