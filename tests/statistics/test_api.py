"""The statistics API (DESIGN §7): shape, refusals naming what is wrong, exact or protected cells."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.statistics.factories import seed_statistics

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/indicators/"
PERIOD = {"from": "2026-01-01", "to": "2026-04-30"}


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_gives_definitions_and_dimensions(personas: dict[str, Any]) -> None:
    answer = _client(personas["analyst"]).get(URL)
    assert answer.status_code == 200
    by_code = {item["code"]: item for item in answer.json()["indicators"]}
    assert {"alerts.received", "persons.identified", "referrals.answered_in_time_share"} <= set(by_code)
    received = by_code["alerts.received"]
    assert received["definition"] and "department" in received["dimensions"] and "month" in received["dimensions"]


def test_cells_have_the_documented_shape_and_national_readers_get_exact_counts(personas: dict[str, Any]) -> None:
    from ruta.alerts.models import Alert

    seed_statistics(personas)
    answer = _client(personas["analyst"]).get(f"{URL}alerts.received/", {**PERIOD, "by": "priority,channel"})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"indicator", "definition", "cells", "total"}
    assert body["indicator"] == "alerts.received"
    assert set(body["total"]) == {"value", "suppressed"}
    real = Alert.objects.filter(is_synthetic=False)
    assert body["total"] == {"value": real.count(), "suppressed": False}
    for cell in body["cells"]:
        assert set(cell) == {"dimensions", "value", "suppressed"}
        expected = real.filter(priority=cell["dimensions"]["priority"], channel=cell["dimensions"]["channel"]).count()
        assert cell["value"] == expected and not cell["suppressed"]
    assert any(cell["value"] < 11 for cell in body["cells"]), "the data set has small cells to protect"


def test_filters_select_records(personas: dict[str, Any]) -> None:
    from ruta.alerts.models import Alert

    seed_statistics(personas)
    answer = _client(personas["analyst"]).get(f"{URL}alerts.received/", {**PERIOD, "department": "08"})
    expected = Alert.objects.filter(is_synthetic=False, department__code="08").count()
    assert answer.json()["total"] == {"value": expected, "suppressed": False}


def test_callers_without_the_national_permission_get_small_cells_suppressed(personas: dict[str, Any]) -> None:
    seed_statistics(personas)
    answer = _client(personas["supervisor"]).get(f"{URL}alerts.received/", {**PERIOD, "by": "priority,channel"})
    assert answer.status_code == 200
    cells = answer.json()["cells"]
    hidden = [cell for cell in cells if cell["suppressed"]]
    assert hidden and all(cell["value"] is None for cell in hidden)
    assert all(cell["value"] >= 11 for cell in cells if not cell["suppressed"])


@pytest.mark.parametrize(
    ("path", "params", "field", "needle"),
    [
        ("nope.nothing/", PERIOD, "indicator", "nope.nothing"),
        ("alerts.received/", {**PERIOD, "by": "colour"}, "by", "colour"),
        ("alerts.received/", {**PERIOD, "flavour": "x"}, "filters", "flavour"),
        ("alerts.received/", {"from": "2010-01-01", "to": "2026-01-01"}, "to", "10 years"),
        ("alerts.received/", {"from": "2026-01-01"}, "to", "from and to"),
        ("alerts.received/", {"from": "2026-13-01", "to": "2026-12-01"}, "from", "YYYY-MM-DD"),
    ],
)
def test_bad_requests_answer_400_naming_the_problem(
    personas: dict[str, Any], path: str, params: dict[str, str], field: str, needle: str
) -> None:
    answer = _client(personas["analyst"]).get(f"{URL}{path}", params)
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert field in errors and needle in errors[field][0]["message"]


def test_territorial_callers_cannot_ask_for_another_department(personas: dict[str, Any]) -> None:
    answer = _client(personas["territorial_analyst"]).get(f"{URL}alerts.received/", {**PERIOD, "department": "08"})
    assert answer.status_code == 400
    assert "department" in answer.json()["errors"]


def test_the_endpoints_are_in_the_openapi_schema(personas: dict[str, Any]) -> None:
    schema = _client(personas["administrator"]).get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/stats/indicators/" in schema["paths"]
    assert "/api/v1/stats/indicators/{code}/" in schema["paths"]
