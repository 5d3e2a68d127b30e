"""Guards for views. Anonymous users are sent to log in; a user without the permission gets 404,
the same answer as for a page that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from ruta.policy.access import has_perm
from ruta.policy.permissions import Permission

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
