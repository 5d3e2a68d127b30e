from __future__ import annotations

from django.http import HttpRequest

from ruta.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request type of views behind ``permission_required``: ``user`` is a real user."""

    user: User
