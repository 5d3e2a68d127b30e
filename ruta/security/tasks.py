from __future__ import annotations

from datetime import timedelta

from ruta.jobs.services import periodic
from ruta.security.retention import retention_run
from ruta.security.unusual import unusual_access_scan


@periodic("security.unusual_access", every=timedelta(minutes=5))
def unusual_access() -> None:
    unusual_access_scan()


@periodic("security.retention", every=timedelta(days=1))
def retention() -> None:
    retention_run(dry_run=False)
