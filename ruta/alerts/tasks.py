"""Background work of the early-warning app."""

from __future__ import annotations

from datetime import timedelta

from ruta.alerts.escalation import escalate_missed_deadlines
from ruta.alerts.services import throttle_purge
from ruta.jobs.services import periodic


@periodic("alerts.escalate_missed_deadlines", every=timedelta(minutes=1))
def escalate() -> int:
    return escalate_missed_deadlines()


@periodic("alerts.purge_intake_throttle", every=timedelta(hours=6))
def purge_throttle() -> int:
    return throttle_purge()
