"""Statistics read from a replica when one is configured (``DATABASE_REPLICA_URL``), so the
commission's heavy queries never slow intake on the primary.

Which reads are statistics is not a property of a model (an alert is read by the triage queue and by
the dashboard alike), so the statistics code marks its reads with ``statistics_reads()``; the router
sends reads made inside it to the ``replica`` database, and everything else (every write) to the
default. Without a replica configured the router has no opinion."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connections

REPLICA = "replica"
_READING: ContextVar[bool] = ContextVar("ruta_statistics_reads", default=False)


@contextmanager
def statistics_reads() -> Iterator[None]:
    token = _READING.set(True)
    try:
        yield
    finally:
        _READING.reset(token)


class StatisticsReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _READING.get() and REPLICA in connections.settings:
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # A replica holds the same rows as the primary: objects read from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # The replica receives the primary's schema by replication, never by migrate.
        return False if db == REPLICA else None
