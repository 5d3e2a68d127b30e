"""Backups restore to the same data: pg_dump → restore into a new database on PostgreSQL, the
sqlite3 backup API on SQLite (whichever database the suite runs on)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import uuid
from typing import Any

from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from tests.security.factories import case_for, seed_world


def _cell(value: Any) -> str:
    """One textual form per value: JSON columns come back as text from Django, as objects from psycopg."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    return str(value)


def _tables() -> list[str]:
    return sorted(model._meta.db_table for model in apps.get_models() if model._meta.managed)


def _snapshot_django() -> dict[str, list[tuple[Any, ...]]]:
    snapshot = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            snapshot[table] = [tuple(_cell(value) for value in row) for row in cursor.fetchall()]
    return snapshot


def _pg(args: list[str], db: dict[str, Any], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    base = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres"]
    return subprocess.run([args[0], *base, *args[1:]], capture_output=True, text=True, check=True, env=env, **kwargs)


def test_backup_then_restore_gives_the_same_data(
    audit_unlocked: None, django_db_serialized_rollback: None, transactional_db: None, tmp_path: Any
) -> None:
    personas = seed_world()
    case_for("caseworker", personas, "sesal")
    APIClient().post("/api/v1/alerts/", {"narrative": "respaldo", "municipality": "0801"}, format="json")
    before = _snapshot_django()
    assert before["cases_case"] and before["audit_auditevent"] and before["persons_personidentity"]

    if connection.vendor == "postgresql":
        db = connection.settings_dict
        restored_name = f"ruta_restore_{uuid.uuid4().hex[:8]}"
        dump = tmp_path / "backup.dump"
        _pg(["pg_dump", "-Fc", "-f", str(dump), db["NAME"]], db)
        _pg(["createdb", restored_name], db)
        try:
            _pg(["pg_restore", "--no-owner", "-d", restored_name, str(dump)], db)
            import psycopg

            with psycopg.connect(
                host=db["HOST"] or "127.0.0.1",
                port=db["PORT"] or 5432,
                user=db["USER"] or "postgres",
                password=db.get("PASSWORD") or None,
                dbname=restored_name,
            ) as restored:
                after = {}
                for table in _tables():
                    rows = restored.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
                    after[table] = [tuple(_cell(value) for value in row) for row in rows]
        finally:
            _pg(["dropdb", "--if-exists", restored_name], db)
    else:
        connection.ensure_connection()
        target = sqlite3.connect(tmp_path / "backup.sqlite3")
        connection.connection.backup(target)
        target.close()
        restored = sqlite3.connect(tmp_path / "backup.sqlite3")
        # The SQL text of both databases, row by row, as SQLite itself renders the stored values.
        live_dump = list(connection.connection.iterdump())
        restored_dump = list(restored.iterdump())
        restored.close()
        assert any('INSERT INTO "cases_case"' in line for line in restored_dump)
        assert restored_dump == live_dump
        return
    assert after == before
