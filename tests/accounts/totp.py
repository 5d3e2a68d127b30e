"""Test helpers for the second factor: enrol a device with a known key and compute its current code."""

from __future__ import annotations

import base64
from typing import Any

from django_otp.oath import totp

from ruta.accounts.models import AuthenticatorDevice

KNOWN_KEY_HEX = "3132333435363738393031323334353637383930"  # RFC 6238's test key


def enrol_device(user: Any, key_hex: str = KNOWN_KEY_HEX) -> AuthenticatorDevice:
    AuthenticatorDevice.objects.filter(user=user).delete()
    return AuthenticatorDevice.objects.create(user=user, name="authenticator", key=key_hex, confirmed=True)


def code_for_key(key_hex: str, offset_steps: int = 0) -> str:
    return f"{totp(bytes.fromhex(key_hex), drift=offset_steps):06d}"


def code_for_secret(base32_secret: str) -> str:
    padded = base32_secret + "=" * (-len(base32_secret) % 8)
    return f"{totp(base64.b32decode(padded)):06d}"


def fresh_code(user: Any) -> str:
    """The device's current code, after forgetting the last used step (so a test may log in twice
    within 30 seconds; production refuses a replayed code)."""
    device = AuthenticatorDevice.objects.get(user=user, confirmed=True)
    AuthenticatorDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return code_for_key(device.key)
