from __future__ import annotations

from typing import Any

from ruta.jobs.services import handler
from ruta.statistics.htcds_exports import JOB_KIND as HTCDS_JOB_KIND
from ruta.statistics.htcds_exports import htcds_build
from ruta.statistics.reports import JOB_KIND, report_step


@handler(JOB_KIND)
def build_report_step(payload: dict[str, Any]) -> None:
    report_step(int(payload["report"]))


@handler(HTCDS_JOB_KIND)
def build_htcds_export(payload: dict[str, Any]) -> None:
    htcds_build(int(payload["export"]))
