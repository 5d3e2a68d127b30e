from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    # For the type only: core sits below accounts, and the user model is the settings' AUTH_USER_MODEL.
    from ruta.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request type of views behind ``permission_required``: ``user`` is a real user."""

    user: User


def acting_user(request: HttpRequest | Request) -> User:
    """The signed-in user of a request that a guard already let through (the admin site, DRF's
    ``requires(...)``); refuses an anonymous one rather than let it reach a service as an actor."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return cast("User", user)
