"""Committed-data tests (pg_dump, backups) next to the append-only audit table.

A transactional test restores the migrated data before it runs (serialized rollback: rows are
re-saved, which UPDATEs existing audit rows) and empties the database afterwards (DELETE on SQLite,
TRUNCATE on PostgreSQL); the audit triggers refuse both. The ``audit_unlocked`` fixture lifts the
triggers for that test only and puts them back once the database has been emptied. Request it
*before* ``django_db_serialized_rollback`` and ``transactional_db`` so it wraps them:

    def test_x(audit_unlocked, django_db_serialized_rollback, transactional_db, ...): ...
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest


def set_audit_triggers(enabled: bool) -> None:
    """Install or remove the audit table's triggers through the audit app's own helpers."""
    from django.db import connection

    triggers = importlib.import_module("ruta.audit.triggers")
    (triggers.install if enabled else triggers.remove)(connection)


@pytest.fixture
def audit_unlocked(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        set_audit_triggers(False)
    yield
    with django_db_blocker.unblock():
        set_audit_triggers(True)
