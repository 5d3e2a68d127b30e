"""Background work of the baseline study: the round report's build steps (``report.py``)."""

from __future__ import annotations

from typing import Any

from ruta.baseline.report import JOB_KIND, run_step
from ruta.jobs.services import handler


@handler(JOB_KIND)
def report_step(payload: dict[str, Any]) -> None:
    run_step(int(payload["report"]), int(payload["step"]))
