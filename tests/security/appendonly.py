"""Committed-data tests (pg_dump, backups) and the append-only audit table.

A transactional test empties the database after itself (DELETE on SQLite, TRUNCATE on PostgreSQL),
which the audit table's triggers refuse once a row exists. ``pytest_runtest_teardown`` below lifts
the triggers just for that flush and puts them back right after, so the next test runs against the
real, append-only table. Used by ``tests/security/conftest.py``; any test package with
transactional tests can import it the same way (``tests/conftest.py`` should, see docs/security.md)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_django.plugin import blocking_manager_key

_triggers = importlib.import_module("ruta.audit.migrations.0002_append_only_triggers")


def _statements(forward: bool) -> list[str]:
    from django.db import connection

    if connection.vendor == "postgresql":
        return _triggers.POSTGRES_FORWARD if forward else _triggers.POSTGRES_BACKWARD
    if connection.vendor == "sqlite":
        return _triggers.SQLITE_FORWARD if forward else _triggers.SQLITE_BACKWARD
    return []


def set_audit_triggers(enabled: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in _statements(enabled):
            cursor.execute(statement)


def _transactional(item: Any) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and (marker.kwargs.get("transaction") or (len(marker.args) > 0 and marker.args[0])))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: Any, nextitem: Any) -> Iterator[None]:
    transactional = _transactional(item)
    blocker = item.config.stash[blocking_manager_key]
    if transactional:
        with blocker.unblock():
            set_audit_triggers(False)
    yield
    if transactional:
        with blocker.unblock():
            set_audit_triggers(True)
