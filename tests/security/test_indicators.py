"""Statistics indicators: each figure equals the raw count of the records it defines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ruta.alerts.models import Alert
from ruta.cases.models import Case
from ruta.core.indicators import indicator, indicators
from tests.security.factories import case_for


def _alerts(municipality: str, count: int) -> None:
    api = APIClient()
    for index in range(count):
        api.post("/api/v1/alerts/", {"narrative": f"caso {index}", "municipality": municipality}, format="json")


def test_the_domain_apps_register_their_indicators() -> None:
    registered = {found.code: found for found in indicators()}
    assert {"alerts.received", "cases.opened"} <= set(registered)
    assert set(registered["alerts.received"].dimensions) == {
        "department",
        "municipality",
        "channel",
        "priority",
        "reporting_institution",
        "assigned_institution",
    }
    assert set(registered["cases.opened"].dimensions) == {
        "department",
        "municipality",
        "stage",
        "exploitation",
        "lead_institution",
    }


def test_alerts_received_equals_raw_counts(personas: dict[str, Any]) -> None:
    _alerts("0801", 3)
    _alerts("0501", 2)
    earlier = timezone.now() - timedelta(days=70)
    alert_ids = Alert.objects.order_by("pk").values_list("pk", flat=True)
    capital, north = alert_ids.filter(department__code="08")[0], alert_ids.filter(department__code="05")[0]
    Alert.objects.filter(pk=capital).update(received_at=earlier)
    Alert.objects.filter(pk=north).update(is_synthetic=True)
    received = indicator("alerts.received")
    real = Alert.objects.filter(is_synthetic=False)

    assert received.count() == {(): real.count()} == {(): 4}
    by_department = received.count(by=("department",))
    assert by_department == {("08",): real.filter(department__code="08").count(), ("05",): 1}
    cut = received.count(by=("month", "department", "priority"))
    for (month, department, priority), count in cut.items():
        year, number = (int(part) for part in month.split("-"))
        in_month = real.filter(received_at__year=year, received_at__month=number)
        assert count == in_month.filter(department__code=department, priority=priority).count()
    assert sum(cut.values()) == real.count()
    since = timezone.localdate() - timedelta(days=30)
    assert received.count(since=since) == {(): real.filter(received_at__date__gte=since).count()} == {(): 3}


def test_cases_opened_equals_raw_counts(personas: dict[str, Any]) -> None:
    first = case_for("caseworker", personas, "sesal", given="Marisol")
    case_for("caseworker", personas, "sesal", given="Dunia")
    Case.objects.filter(pk=first.pk).update(opened_at=timezone.now() - timedelta(days=400))
    opened = indicator("cases.opened")
    cut = opened.count(by=("month", "stage"))
    assert sum(cut.values()) == Case.objects.filter(is_synthetic=False).count() == 2
    for (month, stage), count in cut.items():
        year, number = (int(part) for part in month.split("-"))
        assert count == Case.objects.filter(opened_at__year=year, opened_at__month=number, stage=stage).count()
    assert opened.count(until=timezone.localdate() - timedelta(days=300)) == {(): 1}


def test_an_indicator_refuses_a_dimension_it_does_not_have() -> None:
    with pytest.raises(ValueError, match="cannot be cut by"):
        indicator("cases.opened").count(by=("priority",))
