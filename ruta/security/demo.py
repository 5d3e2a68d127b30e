"""Demo only: link every demo persona who must use a second factor to one published TOTP key, so a
newcomer can log in after ``make run`` (``manage.py demo_totp`` prints the current code), and give each
the published recovery codes, so their security page shows codes left like a real account's."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings

from ruta.accounts.mfa import DEVICE_NAME, RECOVERY_CODES, mfa_required, recovery_codes_left, recovery_codes_store
from ruta.accounts.models import AuthenticatorDevice

# Public on purpose: demo accounts are for development databases only (seed_demo refuses otherwise).
DEMO_TOTP_KEY_HEX = "5275746144656d6f4d464144656d6f4b65792121"
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode().rstrip("=")
DEMO_RECOVERY_CODES = [f"demo00-{number:06d}" for number in range(1, RECOVERY_CODES + 1)]


def seed(users: dict[str, Any]) -> str:
    enrolled = 0
    for user in users.values():
        if not mfa_required(user):
            continue
        if not recovery_codes_left(user):
            recovery_codes_store(user=user, codes=DEMO_RECOVERY_CODES)
        if AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        AuthenticatorDevice.objects.create(user=user, name=DEVICE_NAME, key=DEMO_TOTP_KEY_HEX, confirmed=True)
        enrolled += 1
    command = "DEBUG=1 .venv/bin/python manage.py demo_totp"
    hint = (
        f"second factor for the demo logins: authenticator key {DEMO_TOTP_SECRET}, or run `{command}`; "
        f"recovery codes {DEMO_RECOVERY_CODES[0]} … {DEMO_RECOVERY_CODES[-1]}"
    )
    return f"{enrolled} demo authenticators enrolled; {hint}" if settings.DEBUG or enrolled else hint
