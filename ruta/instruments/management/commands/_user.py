"""The user a command acts as (``--user``); none means the system itself."""

from __future__ import annotations

from ruta.accounts.models import User


def acting_user(username: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise LookupError(f"no active user {username!r}")
    return user
