"""Guards for views. Anonymous users are sent to log in; a user without the permission gets 404,
the same answer as for a page that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from ruta.accounts.access import has_perm
from ruta.accounts.roles import Permission

View = Callable[..., HttpResponse]


def permission_required(*permissions: Permission) -> Callable[[View], View]:
    """Allow the view if the user holds any of ``permissions`` (in any scope)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if permissions and not any(has_perm(request.user, perm) for perm in permissions):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.required_permissions = permissions  # type: ignore[attr-defined]
        return wrapped

    return decorator


def login_required(view: View) -> View:
    """For pages every signed-in user has (home, own notifications)."""
    return permission_required()(view)


def recent_auth_required(view: View | None = None, *, max_age: int | None = None) -> Any:
    """Require a fresh proof of identity (password and second factor) for sensitive actions.

    Use after ``permission_required`` (which answers 404 to those without the permission):
    exports, key operations, break-the-glass. A user whose last proof is older than ``max_age``
    seconds (default ``RUTA_REAUTH_SECONDS``) is sent to the re-authentication page and comes back
    to this page (for a POST, to the page that posted it) afterwards."""

    def decorator(inner: View) -> View:
        @wraps(inner)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from ruta.accounts.sessions import is_recent_auth

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
