"""``dashboard_p95_ms``: the national statistics dashboard, every registered figure (total, months,
a cut by department, the map), over the bench database's synthetic data (DESIGN.md §7; goal ≤ 300 ms
at 1M alerts / 100k cases). ``size`` is the bench's alert count; the synthetic generator scales the
cases, persons and referrals from it. Synthetic rows are counted on purpose (``including_synthetic``):
real figures exclude them, but here they are the data set. Timed as the page builds it, without
rendering (the template adds no queries)."""

from __future__ import annotations

from bench.results import Result, missing
from bench.suites import percentile, timed

GOAL_MS = 300.0


def run(size: int, *, smoke: bool) -> list[Result]:
    name, metric = "dashboard_p95_ms", "ms"
    try:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from ruta.core.indicators import including_synthetic, indicators
        from ruta.statistics.dashboard import build_dashboard
        from ruta.statistics.forms import default_period
        from ruta.statistics.reach import Reach

        since, until = default_period()
        national = Reach(exact=True)

        def dashboard() -> None:
            with including_synthetic():
                build_dashboard(user=None, reach=national, since=since, until=until, cut_by="department", where={})

        with CaptureQueriesContext(connection) as captured:
            dashboard()
        samples = timed(dashboard, repeat=5 if smoke else 20, warmup=1 if smoke else 3)
    except Exception as exc:  # noqa: BLE001 - a broken piece is reported, never a made-up figure
        return [missing(name, size, metric, GOAL_MS, "<=", f"error: {type(exc).__name__}: {str(exc)[:250]}")]
    note = (
        f"national reader, {len(indicators())} indicators, last 12 months, cut by department + map; "
        f"{len(captured.captured_queries)} queries per dashboard"
    )
    return [Result(name, size, metric, percentile(samples, 0.95), GOAL_MS, "<=", note=note)]
