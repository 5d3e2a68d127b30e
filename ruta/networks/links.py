"""The signed links a bulletin carries: acknowledge it, stop receiving bulletins. They need no
log-in (members often have no account) and name nothing: a signed number only."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

ACK_SALT = "ruta.networks.acknowledge"
OPT_OUT_SALT = "ruta.networks.opt-out"
ACK_VALID_FOR = timedelta(days=60)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else path


def acknowledge_url(delivery_id: int) -> str:
    token = signing.dumps(delivery_id, salt=ACK_SALT, compress=True)
    return _absolute(reverse("network_links:acknowledge", kwargs={"token": token}))


def opt_out_url(member_id: int) -> str:
    token = signing.dumps(member_id, salt=OPT_OUT_SALT, compress=True)
    return _absolute(reverse("network_links:opt-out", kwargs={"token": token}))


def acknowledged_delivery(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=ACK_SALT, max_age=ACK_VALID_FOR))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def opting_out_member(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=OPT_OUT_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
