from __future__ import annotations

from datetime import timedelta
from typing import Any

from ruta.core import rollups
from ruta.jobs.services import handler, periodic
from ruta.statistics.htcds_exports import JOB_KIND as HTCDS_JOB_KIND
from ruta.statistics.htcds_exports import htcds_build
from ruta.statistics.reports import JOB_KIND, report_step


@handler(JOB_KIND)
def build_report_step(payload: dict[str, Any]) -> None:
    report_step(int(payload["report"]))


@handler(HTCDS_JOB_KIND)
def build_htcds_export(payload: dict[str, Any]) -> None:
    htcds_build(int(payload["export"]))


@periodic("statistics.refresh_rollups", every=timedelta(minutes=10))
def refresh_rollups() -> None:
    """Recount the months marked changed (and a month that has just ended): figures are exact without
    it, but the dashboards read fewer records the fresher the rollups are."""
    rollups.refresh()


@periodic("statistics.rebuild_rollups", every=timedelta(days=1))
def rebuild_rollups() -> None:
    # Also catches changes made outside the application (a database fix by hand sends no signal).
    rollups.refresh(full=True)
