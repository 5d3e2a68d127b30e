"""Identity data never reaches the database in clear, and keys rotate without losing anything."""

from __future__ import annotations

import base64
import os
import subprocess
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from ruta.cases.models import Case
from ruta.core import crypto
from ruta.core.fields import ENCRYPTED_FIELDS
from ruta.persons.models import Person, PersonIdentity, PersonSearchToken
from ruta.security import keys
from ruta.security.models import KeyRotationProgress
from tests.security.factories import case_for, seed_world

SECRETS = ["Marisol", "Zelaya Turcios", "0801-2009-77777", "9988-1122", "oferta falsa", "Wendy Paola", "3344-5566"]


def _dump() -> str:
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        command = ["pg_dump", "--data-only", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
        command += ["-U", db["USER"] or "postgres", db["NAME"]]
        return subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    connection.ensure_connection()
    return "\n".join(connection.connection.iterdump())


def test_a_database_dump_holds_no_identity_in_clear(
    audit_unlocked: None, django_db_serialized_rollback: None, transactional_db: None
) -> None:
    personas = seed_world()
    case_for("caseworker", personas, "sesal")
    response = APIClient().post(
        "/api/v1/alerts/",
        {
            "narrative": "Wendy Paola, 15 años, trabaja de noche en un bar de La Ceiba con una oferta falsa",
            "municipality": "0101",
            "reporter_contact": "+504 3344-5566",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    dump = _dump()
    assert "audit_auditevent" in dump or "INSERT" in dump or "COPY" in dump  # the dump is real
    found = [secret for secret in SECRETS if secret.casefold() in dump.casefold()]
    assert not found, f"found in clear in the database dump: {found}"


def _raw_values() -> list[tuple[str, str]]:
    values = []
    with connection.cursor() as cursor:
        for column in ENCRYPTED_FIELDS:
            table = connection.ops.quote_name(column.model._meta.db_table)
            cursor.execute(f"SELECT {connection.ops.quote_name(column.column)} FROM {table}")
            values += [(column.name, value) for (value,) in cursor.fetchall() if value]
    return values


def test_rotation_re_encrypts_every_column_resumably_and_rebuilds_tokens(
    personas: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for given in ["Marisol", "Dunia", "Keyla", "Yessenia"]:
        case_for("caseworker", personas, "sesal", given=given)
    old_key_id = crypto.current_key_id()
    before_names = sorted(PersonIdentity.objects.values_list("given_names", flat=True))
    before_tokens = set(PersonSearchToken.objects.values_list("token", flat=True))
    assert {crypto.key_id_of(value) for _, value in _raw_values()} == {old_key_id}

    new_key = base64.urlsafe_b64decode(crypto.generate_key())
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    new_key_id = crypto.current_key_id()
    assert new_key_id != old_key_id

    # Interrupt the first run after a few values.
    calls = {"n": 0}
    real = crypto.reencrypt

    def flaky(token: str, *, context: str) -> str | None:
        calls["n"] += 1
        if calls["n"] > 5:
            raise KeyboardInterrupt
        return real(token, context=context)

    monkeypatch.setattr(crypto, "reencrypt", flaky)
    with pytest.raises(KeyboardInterrupt):
        keys.rotate_all(batch_size=2)
    assert KeyRotationProgress.objects.exclude(last_pk="").exists()  # progress was kept
    mixed = {crypto.key_id_of(value) for _, value in _raw_values()}
    assert mixed == {old_key_id, new_key_id}

    monkeypatch.setattr(crypto, "reencrypt", real)
    call_command("rotate_encryption_keys", "--batch-size", "2")
    assert {crypto.key_id_of(value) for _, value in _raw_values()} == {new_key_id}
    # Old key gone: everything still reads back the same.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert sorted(PersonIdentity.objects.values_list("given_names", flat=True)) == before_names
    assert Case.objects.exclude(narrative="").count() == 4
    after_tokens = set(PersonSearchToken.objects.values_list("token", flat=True))
    assert after_tokens and not after_tokens & before_tokens  # recomputed under the new key
    # Running again changes nothing.
    snapshot = _raw_values()
    call_command("rotate_encryption_keys")
    assert _raw_values() == snapshot


def test_generate_encryption_key_prints_a_valid_key(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("generate_encryption_key")
    printed = capsys.readouterr().out.strip()
    assert len(base64.urlsafe_b64decode(printed)) == 32


def test_person_count_is_not_changed_by_rotation(personas: dict[str, Any]) -> None:
    case_for("caseworker", personas, "sesal")
    call_command("rotate_encryption_keys", "--restart")
    assert Person.objects.count() == 1
