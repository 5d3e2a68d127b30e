"""Log-in lockout per account and per client address, counted by ``ruta.core.throttle`` so it holds
across processes. Failures of every step (password, second factor, re-authentication) count.

A sliding window: once the limit is reached the account (or address) stays locked until the oldest
counted failure is ``RUTA_LOGIN_LOCKOUT_SECONDS`` old, at one-minute granularity by default."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from ruta.core import throttle

ACCOUNT = "login.account"
ADDRESS = "login.address"
SLOTS = 15


def _window() -> throttle.Window:
    return throttle.Window(settings.RUTA_LOGIN_LOCKOUT_SECONDS, slots=SLOTS)


def _account(username: str) -> str:
    # The throttle stores only a keyed hash: people sometimes type a password into the user-name box.
    return username.strip().casefold()


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Lockout:
    locked: bool
    by_account: bool = False
    minutes: int = 0


def lockout_for(request: HttpRequest, username: str) -> Lockout:
    window = _window()
    minutes = max(1, settings.RUTA_LOGIN_LOCKOUT_SECONDS // 60)
    if (
        username
        and throttle.count(scope=ACCOUNT, ident=_account(username), window=window)
        >= settings.RUTA_LOGIN_FAILURES_PER_ACCOUNT
    ):
        return Lockout(True, by_account=True, minutes=minutes)
    ip = client_ip(request)
    if ip and throttle.count(scope=ADDRESS, ident=ip, window=window) >= settings.RUTA_LOGIN_FAILURES_PER_IP:
        return Lockout(True, by_account=False, minutes=minutes)
    return Lockout(False)


def failure_record(request: HttpRequest, username: str) -> None:
    window = _window()
    throttle.hit(scope=ACCOUNT, ident=_account(username), window=window)
    ip = client_ip(request)
    if ip:
        throttle.hit(scope=ADDRESS, ident=ip, window=window)


def failures_clear(username: str) -> None:
    """A successful log-in forgives the account's earlier failures (the address's count stays)."""
    throttle.clear(scope=ACCOUNT, ident=_account(username), window=_window())
