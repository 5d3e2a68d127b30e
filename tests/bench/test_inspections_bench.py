"""The inspection benchmarks on a tiny data set: the plan's figure, and the sync's counting of lost and
duplicated records (the HTTP server replaced by the test client: the test database is not reachable
from another process)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from bench import inspections as bench_inspections
from ruta.inspections.models import Establishment, Visit


@pytest.mark.django_db
def test_plan_benchmark_reports_its_figure(personas: dict[str, Any]) -> None:
    result = bench_inspections.plan(60, smoke=True)
    assert (result.name, result.metric, result.goal, result.goal_op) == ("inspection_plan_p95_ms", "ms", 200.0, "<=")
    assert result.value is not None and result.value > 0, result.note
    assert Establishment.objects.filter(name__startswith=bench_inspections.MARK).count() == 60
    assert bench_inspections.establishment_count(10_000, smoke=True) == 10_000
    assert bench_inspections.establishment_count(1_000_000, smoke=False) == 100_000


@pytest.mark.django_db
def test_sync_benchmark_counts_every_record(personas: dict[str, Any], monkeypatch: Any) -> None:
    def in_process(token: str, prepared: list[list[dict[str, Any]]]) -> tuple[list[str], float, int, list[str]]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

        def post(batch: list[dict[str, Any]]) -> list[str]:
            response = client.post(
                "/api/v1/inspections/sync/", json.dumps({"records": batch}), content_type="application/json"
            )
            return [item["status"] for item in response.json()["results"]]

        statuses = [status for batch in prepared for status in post(batch)]
        return statuses, 0.5, 1, post(prepared[0])

    monkeypatch.setattr(bench_inspections, "_serve_and_post", in_process)
    from django.db import connection

    monkeypatch.setitem(connection.settings_dict, "NAME", "bench-test.sqlite3")
    result = bench_inspections.sync(60, smoke=True)
    assert (result.name, result.metric, result.goal) == ("inspection_sync_records_per_s", "records/s", 100.0)
    records = 4 * 5 * (1 + 4)
    assert result.value == pytest.approx(records / 0.5), result.note
    assert "0 lost, 0 duplicated, 0 not 'created'" in result.note and not result.failed
    assert not Visit.objects.filter(observations="Visita de prueba de rendimiento").exists()  # cleaned up
