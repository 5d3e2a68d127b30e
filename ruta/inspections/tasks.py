"""Background work of labour inspection: keeping the stored risk scores in step with their inputs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ruta.inspections.risk import refresh_risk
from ruta.jobs.services import handler, periodic


@handler("inspections.refresh_risk")
def refresh_establishments(payload: dict[str, Any]) -> None:
    """A visit closed: its establishment's findings and complaints changed."""
    refresh_risk(establishment_ids=payload["establishment_ids"])


@periodic("inspections.refresh_risk_all", every=timedelta(hours=24))
def refresh_all() -> None:
    """Alerts in each municipality move every day and windows slide: refresh the whole registry."""
    refresh_risk()
