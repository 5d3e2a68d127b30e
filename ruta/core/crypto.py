"""Protected identity data: authenticated encryption at rest and keyed search tokens.

Ciphertext format: ``v1:<key id>:<base64 nonce+ciphertext>``. The key id (a short hash of the key)
lets decryption pick the right key among FIELD_ENCRYPTION_KEYS, so keys can be rotated: the first
key encrypts, all of them decrypt, and ``rotate_encryption_keys`` re-encrypts old rows.

Search tokens are HMAC-SHA256 over normalised text with a key derived from the first encryption key,
so equality and fuzzy (token/n-gram) lookups never need plaintext in the database."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1"


class DecryptionError(ValueError):
    pass


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"ruta-key-id:" + key).hexdigest()[:8]


@lru_cache(maxsize=8)
def _keyring(keys: tuple[bytes, ...]) -> dict[str, AESGCM]:
    return {_key_id(key): AESGCM(key) for key in keys}


def _keys() -> tuple[bytes, ...]:
    return tuple(settings.FIELD_ENCRYPTION_KEYS)


def current_key_id() -> str:
    return _key_id(_keys()[0])


def encrypt(plaintext: str, *, context: str = "") -> str:
    """Encrypt ``plaintext``; ``context`` (e.g. the field name) is bound as associated data."""
    key = _keys()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{PREFIX}:{_key_id(key)}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str = "") -> str:
    try:
        prefix, key_id, body = token.split(":", 2)
    except ValueError as exc:
        raise DecryptionError("not an encrypted value") from exc
    if prefix != PREFIX:
        raise DecryptionError(f"unknown format {prefix!r}")
    cipher = _keyring(_keys()).get(key_id)
    if cipher is None:
        raise DecryptionError(f"no configured key has id {key_id}")
    raw = base64.urlsafe_b64decode(body.encode())
    try:
        return cipher.decrypt(raw[:12], raw[12:], context.encode()).decode("utf-8")
    except InvalidTag as exc:
        raise DecryptionError("ciphertext was altered or the context does not match") from exc


def key_id_of(token: str) -> str | None:
    parts = token.split(":", 2)
    return parts[1] if len(parts) == 3 else None


@lru_cache(maxsize=8)
def _token_key(first_key: bytes) -> bytes:
    return hmac.new(first_key, b"ruta-search-tokens", hashlib.sha256).digest()


def search_token(value: str, *, purpose: str) -> str:
    """A keyed hash of an already-normalised value; ``purpose`` separates token families."""
    digest = hmac.new(_token_key(_keys()[0]), f"{purpose}\x1f{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")


def generate_key() -> str:
    """A new random 32-byte key in the url-safe base64 form FIELD_ENCRYPTION_KEYS expects."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def reencrypt(token: str, *, context: str) -> str | None:
    """``token`` re-encrypted under the current key, or None if it already uses it."""
    if key_id_of(token) == current_key_id():
        return None
    return encrypt(decrypt(token, context=context), context=context)
