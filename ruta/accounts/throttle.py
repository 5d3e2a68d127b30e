"""Log-in throttling: a lockout per account and per client address, counted in the database so it
holds across processes. Failures of every step (password, second factor, re-authentication) count."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from ruta.accounts.models import LoginFailure


def account_key(username: str) -> str:
    normalised = username.strip().casefold()
    return hmac.new(settings.SECRET_KEY.encode(), b"login:" + normalised.encode(), hashlib.sha256).hexdigest()[:32]


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Lockout:
    locked: bool
    by_account: bool = False
    minutes: int = 0


def lockout_for(request: HttpRequest, username: str) -> Lockout:
    window_start = timezone.now() - timedelta(seconds=settings.RUTA_LOGIN_LOCKOUT_SECONDS)
    minutes = max(1, settings.RUTA_LOGIN_LOCKOUT_SECONDS // 60)
    recent = LoginFailure.objects.filter(at__gte=window_start)
    if (
        username
        and recent.filter(account_key=account_key(username)).count() >= settings.RUTA_LOGIN_FAILURES_PER_ACCOUNT
    ):
        return Lockout(True, by_account=True, minutes=minutes)
    ip = client_ip(request)
    if ip and recent.filter(ip_address=ip).count() >= settings.RUTA_LOGIN_FAILURES_PER_IP:
        return Lockout(True, by_account=False, minutes=minutes)
    return Lockout(False)


def failure_record(request: HttpRequest, username: str) -> None:
    LoginFailure.objects.create(account_key=account_key(username), ip_address=client_ip(request))


def failures_clear(username: str) -> None:
    """A successful log-in forgives the account's earlier failures (the address's count stays)."""
    LoginFailure.objects.filter(account_key=account_key(username)).delete()
