"""Background work of the local networks: sending bulletins and telling focal points about P1 alerts."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from ruta.jobs.services import periodic
from ruta.networks.bulletins import send_due
from ruta.networks.escalation import escalate_new_p1_alerts


@periodic("networks.send_bulletins", every=timedelta(seconds=15))
def send_bulletins() -> int:
    return send_due(worker=f"{socket.gethostname()}:{os.getpid()}")


@periodic("networks.p1_alerts", every=timedelta(minutes=1))
def p1_alerts() -> int:
    return escalate_new_p1_alerts()
