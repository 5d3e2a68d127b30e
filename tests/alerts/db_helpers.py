"""Transactional tests (threads, workers, the browser) end with a database flush, which the audit
table's append-only triggers refuse. ``audit_triggers_lifted`` lifts them for such a test and puts
them back after the flush. Request it BEFORE ``transactional_db`` so its teardown runs last."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from django.db import connection

_triggers = importlib.import_module("ruta.audit.migrations.0002_append_only_triggers")


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def lift_audit_triggers(django_db_blocker: Any) -> Iterator[None]:
    vendor = connection.vendor
    with django_db_blocker.unblock():
        _run(_triggers.POSTGRES_BACKWARD if vendor == "postgresql" else _triggers.SQLITE_BACKWARD)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            # When this runs before the flush (fixture order is not ours, e.g. with live_server), the
            # flush finds an empty audit table, which SQLite's row triggers let through.
            _run(['DELETE FROM "audit_auditevent"'])
            _run(_triggers.POSTGRES_FORWARD if vendor == "postgresql" else _triggers.SQLITE_FORWARD)
