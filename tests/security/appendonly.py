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


def _reset_to_migrated_state() -> None:
    """Empty every table, then put back exactly what the migrations created (serialized at set-up)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0)
    set_audit_triggers(False)  # Ruta's flush puts the triggers back; re-saving audit rows needs them off
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        connection.creation.deserialize_db_from_string(contents)
    else:  # this process kept no snapshot: refill the catalogues the data migrations load
        from ruta.core.defaults import restore_empty_default_catalogues

        restore_empty_default_catalogues()


@pytest.fixture
def audit_unlocked(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Triggers off around a transactional test, and the migrated data back afterwards, so the
    tests that run next in this process find the database as the migrations left it."""
    with django_db_blocker.unblock():
        set_audit_triggers(False)
        # Earlier transactional tests may have left the database emptied and re-seeded by
        # post_migrate (new content-type ids); start from the exact migrated state.
        _reset_to_migrated_state()
    yield
    with django_db_blocker.unblock():
        _reset_to_migrated_state()
        set_audit_triggers(True)
