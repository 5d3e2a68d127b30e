"""Session policy: when a session started, when its holder last proved who they are, and ending
every session of a user whose access changed.

A session only becomes authenticated through ``django.contrib.auth.login``, which Ruta's log-in flow
calls after the password *and* the second factor; the ``user_logged_in`` receiver below stamps the
session then. ``Client.force_login`` in tests goes through the same function, so test sessions are
stamped the same way."""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ruta.accounts.models import UserSession

LOGIN_AT = "ruta_login_at"
REAUTH_AT = "ruta_reauth_at"


def stamp_login(request: HttpRequest, user: Any) -> None:
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[REAUTH_AT] = now
    if request.session.session_key:
        UserSession.objects.get_or_create(session_key=request.session.session_key, defaults={"user": user})


def stamp_reauth(request: HttpRequest) -> None:
    request.session[REAUTH_AT] = int(time.time())


def is_recent_auth(request: HttpRequest, max_age: int | None = None) -> bool:
    """Whether the user proved who they are (password and second factor) within ``max_age`` seconds."""
    if not request.user.is_authenticated:
        return False
    limit = settings.RUTA_REAUTH_SECONDS if max_age is None else max_age
    stamped = request.session.get(REAUTH_AT)
    return isinstance(stamped, int) and time.time() - stamped <= limit


def session_expired(request: HttpRequest) -> bool:
    """True for an authenticated session older than the absolute limit (or never stamped)."""
    started = request.session.get(LOGIN_AT)
    return not isinstance(started, int) or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS


def end_user_sessions(user_id: int, *, keep: str | None = None) -> int:
    """Delete every tracked session of the user (except ``keep``); returns how many ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in UserSession.objects.filter(user_id=user_id).exclude(session_key=keep or ""):
        store(session_key=row.session_key).delete()
        row.delete()
        ended += 1
    return ended


def forget_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()
