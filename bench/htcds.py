"""``htcds_export_s`` and ``htcds_export_peak_rss_mb``: the HTCDS export of every presumed victim of
the bench database's synthetic set (DESIGN.md §7; goals ≤ 60 s and ≤ 300 MB).

The export runs as ``manage.py export_htcds`` in a child process, as an operator would run it; the
wall time includes start-up and the memory is the child's own peak (``bench.memory``). Synthetic rows
are included on purpose (``--include-synthetic``): they are the data set."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from bench.memory import run_measured
from bench.results import Result, missing

SECONDS_GOAL = 60.0
RSS_GOAL_MB = 300.0


def run(size: int, *, smoke: bool) -> list[Result]:
    del smoke  # the whole set is exported at every size: that is what is measured
    names = (("htcds_export_s", "s", SECONDS_GOAL), ("htcds_export_peak_rss_mb", "MB", RSS_GOAL_MB))
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "htcds.csv"
        measured = run_measured(["manage.py", "export_htcds", "--out", str(out), "--include-synthetic"])
    if measured.returncode != 0:
        why = f"export_htcds exited {measured.returncode}: {measured.stderr.strip()[-300:]}"
        return [missing(name, size, metric, goal, "<=", why) for name, metric, goal in names]
    report = json.loads(measured.stdout)
    note = f"{report['rows']} rows written, {report['suppressed']} suppressed; generalised: {report['generalised']}"
    return [
        Result("htcds_export_s", size, "s", measured.seconds, SECONDS_GOAL, "<=", note=note),
        Result("htcds_export_peak_rss_mb", size, "MB", measured.peak_rss_mb, RSS_GOAL_MB, "<=", note=note),
    ]
