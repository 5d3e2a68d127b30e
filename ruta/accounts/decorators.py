"""Authentication guards for views: a fresh proof of identity before sensitive actions. Permission
guards are in ``ruta.policy.decorators``."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from ruta.accounts.sessions import is_recent_auth
from ruta.policy.decorators import View


def recent_auth_required(view: View | None = None, *, max_age: int | None = None) -> Any:
    """Require a fresh proof of identity (password and second factor) for sensitive actions.

    Use after ``permission_required`` (which answers 404 to those without the permission):
    exports, key operations, break-the-glass. A user whose last proof is older than ``max_age``
    seconds (default ``RUTA_REAUTH_SECONDS``) is sent to the re-authentication page and comes back
    to this page (for a POST, to the page that posted it) afterwards."""

    def decorator(inner: View) -> View:
        @wraps(inner)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_recent_auth(request, max_age):
                target = request.get_full_path()
                if request.method != "GET":
                    referer = request.META.get("HTTP_REFERER", "")
                    safe = url_has_allowed_host_and_scheme(
                        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                    )
                    target = referer if referer and safe else target
                return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': target})}")
            return inner(request, *args, **kwargs)

        wrapped.requires_recent_auth = True  # type: ignore[attr-defined]
        wrapped.required_permissions = getattr(inner, "required_permissions", ())  # type: ignore[attr-defined]
        return wrapped

    return decorator(view) if view is not None else decorator
