"""The accounts' retention policy: the counters of failed log-ins (``ruta.accounts.throttle``)."""

from __future__ import annotations

from datetime import datetime

from django.db import models

from ruta.accounts.throttle import ACCOUNT, ADDRESS
from ruta.core.models import ThrottleCounter


def login_failures_older_than(cutoff: datetime) -> models.QuerySet[ThrottleCounter]:
    return ThrottleCounter.objects.filter(scope__in=[ACCOUNT, ADDRESS], window_start__lt=cutoff)
