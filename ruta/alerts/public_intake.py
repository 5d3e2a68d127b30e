"""What the three public entry points (the API the page's offline queue posts to, the form without
JavaScript, the RapidPro webhook) share: the honeypot, who the actor is, clean-then-submit, and the
public limits.

The limits keep floods out without refusing people who share an address: mobile carriers put many
phones behind one. Each device (a random id in a signed cookie the server sets, never derived from
the phone) has a modest limit, and its address a far higher ceiling; a client that brings no device
id counts as one device per address. Staff and integrations holding ALERT_CREATE are accountable
through their accounts and are not limited."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ruta.alerts.configuration import intake_configuration
from ruta.alerts.intake import alert_submit_once, clean_submission
from ruta.alerts.permissions import AlertPermission
from ruta.core import throttle
from ruta.policy import access
from ruta.policy.access import Reader

HONEYPOT = "website"
DEVICE_COOKIE = "ruta_device"
DEVICE_SALT = "ruta.alerts.device"
DEVICE_DAYS = 7  # longer than the offline queue keeps a report (three days): a late send still has it
PER_DEVICE = "public_alerts"
PER_ADDRESS = "public_alerts_address"


class HoneypotFilled(Exception):
    """A bot filled the field people never see: keep nothing."""


def accountable(user: Reader) -> bool:
    return user is not None and access.has_perm(user, AlertPermission.CREATE)


def public_submit(
    *, user: Reader, raw: Mapping[str, Any], channel: str, idempotency_key: str | None, payload: Any
) -> tuple[int, dict[str, Any]]:
    """Refuse a filled honeypot, validate, then record once per idempotency key. The actor is the
    user only when they may create alerts; otherwise the alert is anonymous."""
    if raw.get(HONEYPOT):
        raise HoneypotFilled
    actor = user if accountable(user) else None
    configuration = intake_configuration.get()
    data = clean_submission(raw, configuration=configuration)
    return alert_submit_once(
        actor=actor,
        data=data,
        channel=channel,
        idempotency_key=idempotency_key,
        payload=payload,
        configuration=configuration,
    )


def rate(scope: str) -> str:
    rates: dict[str, Any] = cast(dict[str, Any], settings.REST_FRAMEWORK)["DEFAULT_THROTTLE_RATES"]
    return str(rates[scope])


def intake_allowed(*, address: str, device: str | None) -> bool:
    """Count one public submission; False when its device or its address is over the limit.

    Both counters advance even when one refuses: a refused attempt is load on the address too."""
    if device is None:
        return throttle.allowed(scope="alerts.public.device", ident=f"address:{address}", rate=rate(PER_DEVICE))
    device_ok = throttle.allowed(scope="alerts.public.device", ident=f"device:{device}", rate=rate(PER_DEVICE))
    address_ok = throttle.allowed(scope="alerts.public.address", ident=address, rate=rate(PER_ADDRESS))
    return device_ok and address_ok


def tracking_allowed(*, address: str) -> bool:
    """Count one tracking look-up: codes are not guessable, but answers must not come by the thousand."""
    return throttle.allowed(scope="public_tracking", ident=address, rate=rate("public_tracking"))


def device_of(request: HttpRequest) -> str | None:
    """The device id the server gave this browser, if it came back unaltered."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400)
    return str(value) if value else None


def with_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give a browser that opens the report page without a (valid) device id a new random one.

    Only the page gives one, never a submission's answer: a client that skips the page (a script)
    stays one device per address, however many ids an answer would have handed it."""
    if device_of(request) is None:
        response.set_signed_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(16),
            salt=DEVICE_SALT,
            max_age=DEVICE_DAYS * 86400,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
