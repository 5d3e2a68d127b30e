"""The audit table refuses rewriting and erasing from any SQL client, not only through the ORM."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from ruta.audit.models import AuditAction, AuditEvent
from ruta.audit.services import audit_record


@pytest.fixture
def event(db: Any) -> AuditEvent:
    return audit_record(actor=None, action=AuditAction.CONFIG, object_type="test", summary="original")


def _raw(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_raw_update_is_refused(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError):
        _raw("UPDATE audit_auditevent SET summary = 'rewritten'")
    assert AuditEvent.objects.get(pk=event.pk).summary == "original"


def test_raw_delete_is_refused(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_truncate_is_refused_on_postgresql_and_has_no_sqlite_equivalent(event: AuditEvent) -> None:
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError):
            _raw("TRUNCATE audit_auditevent")
    else:
        # SQLite has no TRUNCATE: "DELETE FROM" without WHERE is its truncate, refused above.
        with pytest.raises(DatabaseError):
            _raw("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
