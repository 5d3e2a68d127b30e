"""Background work of the early-warning app."""

from __future__ import annotations

from datetime import timedelta

from ruta.core import throttle
from ruta.jobs.services import periodic


@periodic("alerts.purge_intake_throttle", every=timedelta(hours=6))
def purge_throttle() -> int:
    # Every scope's counters, the log-in lockout's too: intake is where they pile up.
    return throttle.purge()
