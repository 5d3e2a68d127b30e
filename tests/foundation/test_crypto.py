from __future__ import annotations

import base64
import os

import pytest
from django.test import override_settings

from ruta.core import crypto


def _key() -> bytes:
    return os.urandom(32)


def test_round_trip_and_context_binding() -> None:
    token = crypto.encrypt("María José Hernández", context="persons.personidentity.given_names")
    assert "María" not in token
    assert crypto.decrypt(token, context="persons.personidentity.given_names") == "María José Hernández"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="persons.personidentity.family_names")


def test_same_plaintext_encrypts_differently() -> None:
    assert crypto.encrypt("0801-1990-12345") != crypto.encrypt("0801-1990-12345")


def test_tampering_is_detected() -> None:
    token = crypto.encrypt("secret")
    prefix, key_id, body = token.split(":", 2)
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{prefix}:{key_id}:{base64.urlsafe_b64encode(bytes(raw)).decode()}")


def test_old_keys_still_decrypt_after_rotation() -> None:
    old, new = _key(), _key()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        token = crypto.encrypt("Ana")
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        assert crypto.decrypt(token) == "Ana"
        assert crypto.key_id_of(crypto.encrypt("Ana")) == crypto.current_key_id() != crypto.key_id_of(token)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]), pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_search_tokens_are_keyed_and_separated_by_purpose() -> None:
    a = crypto.search_token("hernandez", purpose="family")
    assert a == crypto.search_token("hernandez", purpose="family")
    assert a != crypto.search_token("hernandez", purpose="given")
    assert "hernandez" not in a
    with override_settings(FIELD_ENCRYPTION_KEYS=[_key()]):
        assert crypto.search_token("hernandez", purpose="family") != a
