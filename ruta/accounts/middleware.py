"""Absolute session lifetime: on top of the idle timeout, a session ends a fixed time after log-in."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ruta.accounts.sessions import forget_session, session_expired


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session and session_expired(request):
            forget_session(session.session_key)
            logout(request)
            messages.info(request, _("Your session reached its maximum length. Please log in again."))
        return self.get_response(request)
