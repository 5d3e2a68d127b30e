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

from ruta.accounts import mfa
from ruta.accounts.models import AuthenticatorDevice
from ruta.cases.models import Case
from ruta.core import crypto
from ruta.core.fields import ENCRYPTED_FIELDS
from ruta.persons.models import Person, PersonIdentity, PersonSearchToken
from ruta.security import keys
from ruta.security.models import KeyRotationProgress
from tests.accounts.totp import KNOWN_KEY_HEX, code_for_key, enrol_device
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
    # Second factors: one enrolled with a known seed, one being enrolled (random seed) through mfa.
    enrolled = enrol_device(personas["caseworker"])
    pending = mfa.pending_device(personas["eri_responder"])
    seeds = [KNOWN_KEY_HEX, pending.key]
    seeds += [mfa.base32_secret(device) for device in (enrolled, pending)]
    assert AuthenticatorDevice.objects.count() == 2
    dump = _dump()
    assert "audit_auditevent" in dump or "INSERT" in dump or "COPY" in dump  # the dump is real
    assert "accounts_authenticatordevice" in dump  # the seeds' table is in the dump
    found = [secret for secret in SECRETS if secret.casefold() in dump.casefold()]
    assert not found, f"found in clear in the database dump: {found}"
    found_seeds = [seed for seed in seeds if seed.casefold() in dump.casefold()]
    assert not found_seeds, "a TOTP seed is in clear in the database dump"


def test_totp_seeds_are_stored_encrypted_and_still_verify(personas: dict[str, Any]) -> None:
    device = enrol_device(personas["caseworker"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_authenticatordevice WHERE id = %s", [device.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("v1:") and KNOWN_KEY_HEX not in raw
    assert crypto.decrypt(raw, context="accounts.authenticatordevice.key") == KNOWN_KEY_HEX
    assert mfa.verify_second_factor(personas["caseworker"], code_for_key(KNOWN_KEY_HEX)) == "totp"
    # The ciphertext is bound to its column: copied elsewhere it does not decrypt.
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(raw, context="persons.personidentity.given_names")


def test_the_data_migration_moves_clear_seeds_into_the_encrypted_table(personas: dict[str, Any]) -> None:
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_totp.models import TOTPDevice

    migration = importlib.import_module("ruta.accounts.migrations.0004_encrypt_totp_seeds")
    user = personas["supervisor"]
    TOTPDevice.objects.create(user=user, name="authenticator", key=KNOWN_KEY_HEX, confirmed=True, last_t=7)
    migration.encrypt_seeds(apps, None)
    assert not TOTPDevice.objects.exists()  # nothing left in clear
    moved = AuthenticatorDevice.objects.get(user=user)
    assert (moved.key, moved.confirmed, moved.last_t, moved.name) == (KNOWN_KEY_HEX, True, 7, "authenticator")
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_authenticatordevice WHERE id = %s", [moved.pk])
        assert KNOWN_KEY_HEX not in cursor.fetchone()[0]
    assert mfa.verify_second_factor(user, code_for_key(KNOWN_KEY_HEX)) == "totp"  # the app keeps working


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
    enrol_device(personas["supervisor"])  # a TOTP seed is rotated like any identity column
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
    assert "key" in {name for name, _ in _raw_values()}
    assert AuthenticatorDevice.objects.get(user=personas["supervisor"]).key == KNOWN_KEY_HEX
    assert mfa.verify_second_factor(personas["supervisor"], code_for_key(KNOWN_KEY_HEX)) == "totp"
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
