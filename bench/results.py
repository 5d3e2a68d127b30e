"""The result file of DESIGN §6: ``{"machine": {...}, "benchmarks": [{"name", "size", "metric", "value",
"goal", "reference", "meets_goal"}]}``, plus ``goal_op``, ``reference_metric`` and ``note``.

A benchmark that could not be measured (a piece missing, an error) keeps ``value: null``,
``meets_goal: false`` and says why in ``note``: no figure is ever made up."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REQUIRED_NAMES = (
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
    "inspection_plan_p95_ms",
    "inspection_sync_records_per_s",
    "submissions_import_rows_per_s",
    "submissions_import_peak_rss_mb",
    "dashboard_p95_ms",
    "htcds_export_s",
    "htcds_export_peak_rss_mb",
    "pg_insert_tps",
)


@dataclass
class Result:
    name: str
    size: int
    metric: str  # unit: "alerts/s", "ms", "ratio", "share", "×", "tps"
    value: float | None
    goal: float | None
    goal_op: str  # ">=" or "<=" (or "" without a goal)
    reference: float | None = None
    reference_metric: str = ""
    note: str = ""
    failed: bool = False  # a condition of the goal not in the value (e.g. errors during intake)

    @property
    def meets_goal(self) -> bool:
        if self.failed:
            return False
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return False
        if self.goal is None:
            return True  # nothing to meet: measured is all that is asked (pg_insert_tps)
        return self.value >= self.goal if self.goal_op == ">=" else self.value <= self.goal

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["value"] = _round(self.value)
        data["reference"] = _round(self.reference)
        data["meets_goal"] = self.meets_goal
        data.pop("failed")
        if not data["note"]:
            data.pop("note")
        return data


def _round(value: float | None) -> float | None:
    if value is None:
        return None
    return round(float(value), 3 if abs(value) < 10 else 1)


def missing(name: str, size: int, metric: str, goal: float | None, goal_op: str, why: str) -> Result:
    """A benchmark that cannot run: fails loudly instead of reporting a figure."""
    return Result(name, size, metric, None, goal, goal_op, note=f"NOT MEASURED: {why}")


def document(machine: dict[str, Any], results: list[Result]) -> dict[str, Any]:
    return {"machine": machine, "benchmarks": [result.as_json() for result in results]}


def write(path: Path, machine: dict[str, Any], results: list[Result], *, merge: bool = False) -> dict[str, Any]:
    """``merge``: figures this run measured replace the file's figures of the same name and size; the
    rest of the file stays, and its machine facts are kept under ``machine.earlier_run``."""
    data = document(machine, results)
    if merge and path.exists():
        data = _merged(json.loads(path.read_text(encoding="utf-8")), data)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return data


def _merged(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    fresh = {(b["name"], b["size"]): b for b in current["benchmarks"]}
    old = {(b["name"], b["size"]): b for b in previous["benchmarks"]}
    # A figure this run could not measure (e.g. generation skipped on a reused database) keeps the
    # earlier measured one.
    fresh = {key: b for key, b in fresh.items() if b["value"] is not None or old.get(key, {}).get("value") is None}
    benchmarks = [fresh.pop(key, b) for key, b in old.items()] + list(fresh.values())
    earlier = {key: value for key, value in previous["machine"].items() if key != "earlier_run"}
    return {"machine": {**current["machine"], "earlier_run": earlier}, "benchmarks": benchmarks}


def table(results: list[Result]) -> str:
    """One plain-text table: a row per benchmark, a column per size."""
    sizes = sorted({result.size for result in results})
    names = list(dict.fromkeys(result.name for result in results))
    by_key = {(result.name, result.size): result for result in results}
    header = ["benchmark", "unit", "goal", *[f"{size:,}" for size in sizes]]
    rows = [header]
    for name in names:
        first = next(result for result in results if result.name == name)
        goal = f"{first.goal_op} {_fmt(first.goal)}" if first.goal is not None else "—"
        cells = [name, first.metric, goal]
        for size in sizes:
            result = by_key.get((name, size))
            if result is None:
                cells.append("")
            elif result.value is None:
                cells.append("FAILED")
            else:
                mark = "" if result.meets_goal else " ✗"
                ref = f" (ref {_fmt(result.reference)})" if result.reference is not None else ""
                cells.append(f"{_fmt(result.value)}{ref}{mark}")
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"- {r.name} @ {r.size:,}: {r.note}" for r in results if r.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3f}".rstrip("0").rstrip(".") if value else "0"
