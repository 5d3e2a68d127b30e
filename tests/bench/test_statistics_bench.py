"""The statistics benchmark runs on a tiny data set and reports ``dashboard_p95_ms`` in milliseconds."""

from __future__ import annotations

from typing import Any

import pytest

from bench import statistics as bench_statistics
from tests.statistics.factories import seed_statistics


@pytest.mark.django_db
def test_dashboard_benchmark_reports_its_figure(personas: dict[str, Any]) -> None:
    seed_statistics(personas, alerts=40)
    (result,) = bench_statistics.run(40, smoke=True)
    assert (result.name, result.metric, result.goal, result.goal_op) == ("dashboard_p95_ms", "ms", 300.0, "<=")
    assert result.value is not None and result.value > 0, result.note
    assert "queries per dashboard" in result.note
