"""The deadline engine's tick: every registered kind, every minute."""

from __future__ import annotations

from datetime import timedelta

from ruta.deadlines.services import escalate_missed_deadlines
from ruta.jobs.services import periodic


@periodic("deadlines.escalate_missed", every=timedelta(minutes=1))
def escalate() -> int:
    return escalate_missed_deadlines()
