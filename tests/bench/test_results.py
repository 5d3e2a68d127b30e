"""The benchmark result file keeps the DESIGN §6 contract, and a missing piece fails loudly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import load
from bench.cli import _parse_sizes
from bench.results import REQUIRED_NAMES, Result, document, missing, table, write
from bench.suites import median_run, wilson_interval


def sample() -> list[Result]:
    return [
        Result("intake_alerts_per_s", 10000, "alerts/s", 512.345, 400.0, ">=", 2000.0, "pg_insert_tps"),
        Result("intake_p99_ms", 10000, "ms", 312.0, 250.0, "<=", 4.0, "pgbench latency ms"),
        Result("pg_insert_tps", 10000, "tps", 2100.0, None, ""),
        missing("dedupe_recall", 10000, "share", 0.9, ">=", "ruta.demo.synthetic.variants is missing"),
    ]


def test_file_has_the_design_shape(tmp_path: Path) -> None:
    path = tmp_path / "results" / "latest.json"
    write(path, {"cpu_model": "test", "cpu_cores": 2}, sample())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"machine", "benchmarks"}
    assert data["machine"]["cpu_cores"] == 2
    for entry in data["benchmarks"]:
        assert {"name", "size", "metric", "value", "goal", "reference", "meets_goal"} <= set(entry)
        assert isinstance(entry["meets_goal"], bool)
    by_name = {entry["name"]: entry for entry in data["benchmarks"]}
    assert by_name["intake_alerts_per_s"]["meets_goal"] is True
    assert by_name["intake_alerts_per_s"]["value"] == 512.3
    assert by_name["intake_p99_ms"]["meets_goal"] is False
    assert by_name["pg_insert_tps"]["goal"] is None and by_name["pg_insert_tps"]["meets_goal"] is True


def test_a_missing_piece_is_null_false_and_explained() -> None:
    entry = next(e for e in document({}, sample())["benchmarks"] if e["name"] == "dedupe_recall")
    assert entry["value"] is None and entry["meets_goal"] is False
    assert "missing" in entry["note"]


def test_a_failed_condition_fails_the_goal_whatever_the_value() -> None:
    result = Result("intake_alerts_per_s", 10000, "alerts/s", 900.0, 400.0, ">=", failed=True)
    assert result.meets_goal is False and result.as_json()["value"] == 900.0


def test_table_has_a_row_per_benchmark_and_a_column_per_size() -> None:
    results = [*sample(), Result("intake_alerts_per_s", 100000, "alerts/s", 450.0, 400.0, ">=")]
    text = table(results)
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["benchmark", "unit", "goal"]
    assert "10,000" in lines[0] and "100,000" in lines[0]
    assert any(line.startswith("dedupe_recall") and "FAILED" in line for line in lines)
    assert "NOT MEASURED" in text


DESIGN_NAMES = {
    # DESIGN.md §6
    "intake_alerts_per_s",
    "intake_p99_ms",
    "queue_first_page_p95_ms",
    "queue_raw_sql_ratio",
    "dedupe_p95_ms",
    "dedupe_recall",
    "dedupe_precision",
    "dedupe_speedup_vs_bruteforce",
    "case_list_p95_ms",
    "worklist_p95_ms",
    "pg_insert_tps",
    # DESIGN.md §7
    "inspection_plan_p95_ms",
    "inspection_sync_records_per_s",
    "submissions_import_rows_per_s",
    "submissions_import_peak_rss_mb",
    "dashboard_p95_ms",
    "htcds_export_s",
    "htcds_export_peak_rss_mb",
}


def test_required_names_are_the_design_list() -> None:
    assert set(REQUIRED_NAMES) == DESIGN_NAMES and len(REQUIRED_NAMES) == len(DESIGN_NAMES)


def test_sizes_are_parsed_and_bounded() -> None:
    assert _parse_sizes("100000,10000,1_000_000") == [10000, 100000, 1000000]
    with pytest.raises(Exception, match="between"):
        _parse_sizes("10")


def test_load_generator_targets_loopback_with_valid_public_alerts() -> None:
    import random

    assert load.HOST == "127.0.0.1"
    body = load.payload(random.Random(1), 7, "t")
    data = json.loads(body)
    assert data["narrative"] and data["municipality"] and data["idempotency_key"] == "bench-t-7"
    request = load.request_bytes(8123, body)
    assert request.startswith(b"POST /api/v1/alerts/ HTTP/1.1\r\nHost: 127.0.0.1:8123")
    assert load.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0


def test_a_partial_run_replaces_only_what_it_measured(tmp_path: Path) -> None:
    path = tmp_path / "latest.json"
    write(path, {"git_commit": "first"}, sample())
    rerun = [
        Result("intake_alerts_per_s", 10000, "alerts/s", 420.0, 400.0, ">=", 2000.0, "pg_insert_tps"),
        Result("intake_alerts_per_s", 100000, "alerts/s", 410.0, 400.0, ">=", 2000.0, "pg_insert_tps"),
        missing("pg_insert_tps", 10000, "tps", None, "", "pgbench not found"),
    ]
    data = write(path, {"git_commit": "second"}, rerun, merge=True)
    by_key = {(b["name"], b["size"]): b for b in data["benchmarks"]}
    assert by_key[("intake_alerts_per_s", 10000)]["value"] == 420.0
    assert by_key[("intake_alerts_per_s", 100000)]["value"] == 410.0
    assert by_key[("intake_p99_ms", 10000)]["value"] == 312.0  # not re-measured: kept
    assert by_key[("pg_insert_tps", 10000)]["value"] == 2100.0  # a failed re-measurement keeps the figure
    assert by_key[("dedupe_recall", 10000)]["value"] is None
    assert data["machine"]["git_commit"] == "second" and data["machine"]["earlier_run"]["git_commit"] == "first"
    assert len(data["benchmarks"]) == 5


def test_only_accepts_known_suites() -> None:
    from bench.cli import _parse_only

    assert _parse_only("intake, dedupe") == ("intake", "dedupe")
    with pytest.raises(Exception, match="unknown: speed"):
        _parse_only("intake,speed")


def test_intake_reports_the_median_run_and_every_runs_errors() -> None:
    def run(rate: float, errors: int = 0, timed_out: bool = False) -> dict[str, Any]:
        return {"throughput_per_s": rate, "p99_ms": rate / 10, "errors": errors, "timed_out": timed_out}

    chosen = median_run([run(450.0), run(310.0, errors=2), run(380.0)])
    assert (chosen["throughput_per_s"], chosen["p99_ms"]) == (380.0, 38.0)
    assert chosen["errors"] == 2 and not chosen["timed_out"]
    assert median_run([run(300.0), run(200.0, timed_out=True)])["timed_out"]
    assert median_run([run(420.0)])["throughput_per_s"] == 420.0


def test_the_recall_interval_contains_the_sample_share_and_narrows_with_more_queries() -> None:
    low, high = wilson_interval(225, 240)
    assert low < 225 / 240 < high
    assert (high - low) > 0.05  # 240 queries: a few points either way
    wider_low, wider_high = wilson_interval(750, 800)
    assert wider_high - wider_low < high - low
    assert wilson_interval(240, 240)[1] == 1.0 and wilson_interval(0, 240)[0] == 0.0


def test_a_child_s_peak_memory_is_its_own(tmp_path: Path) -> None:
    from bench.memory import run_measured

    script = tmp_path / "grow.py"
    script.write_text("block = bytearray(80 * 1024 * 1024)\nblock[::4096] = b'x' * len(block[::4096])\nprint('ok')\n")
    big = run_measured([str(script)])
    script.write_text("print('ok')\n")
    small = run_measured([str(script)])
    assert big.returncode == 0 and big.stdout.strip() == "ok"
    assert big.peak_rss_mb is not None and small.peak_rss_mb is not None
    assert big.peak_rss_mb >= 80 > small.peak_rss_mb
