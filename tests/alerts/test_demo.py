from __future__ import annotations

from typing import Any

from ruta.alerts import demo
from ruta.alerts.models import Alert


def test_demo_alerts_cover_priorities_statuses_and_are_idempotent(personas: Any) -> None:
    summary = demo.seed(personas)
    assert summary["created"] == demo.TARGET
    alerts = Alert.objects.filter(is_synthetic=True)
    assert set(alerts.values_list("priority", flat=True)) == {"P1", "P2", "P3", "P4"}
    statuses = set(alerts.values_list("status", flat=True))
    assert {"new", "acknowledged", "in_verification", "referred_elsewhere", "case_opened", "merged"} <= statuses
    assert alerts.filter(department__code="05").count() > alerts.filter(department__code="01").count()
    from django.utils import timezone

    assert alerts.filter(is_open=True, acknowledged_at__isnull=True, acknowledge_due_at__lt=timezone.now()).exists()
    assert demo.seed(personas)["created"] == 0
