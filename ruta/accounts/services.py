"""Changes to a user's own account: the password (the second factor lives in ``ruta.accounts.mfa``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest

from ruta.accounts.models import User
from ruta.accounts.notices import CredentialChange, credential_change_record
from ruta.accounts.sessions import end_user_sessions


def password_change(*, actor: User, form: Any, request: HttpRequest) -> None:
    """Save the user's new password (``form``: a valid ``PasswordChangeForm`` of ``actor``), keep
    this session, end every other one, audit it and tell the user."""
    if form.user.pk != actor.pk:
        raise PermissionError("users change only their own password here")
    with transaction.atomic():
        form.save()
        update_session_auth_hash(request, actor)
        end_user_sessions(actor.pk, keep=request.session.session_key)
        credential_change_record(
            actor=actor,
            user=actor,
            change=CredentialChange.PASSWORD_CHANGED,
            object_type="accounts.user",
            object_id=actor.pk,
            summary="password changed; other sessions ended",
            request=request,
        )


def password_set_by_admin(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Record that an administrator set ``user``'s password (back-office) and tell the user. The
    session hash changes with the password, so the user's open sessions stop working."""
    with transaction.atomic():
        end_user_sessions(user.pk, keep=request.session.session_key if request and user.pk == actor.pk else None)
        credential_change_record(
            actor=actor,
            user=user,
            change=CredentialChange.PASSWORD_SET_BY_ADMIN,
            object_type="accounts.user",
            object_id=user.pk,
            summary="password set by an administrator; sessions ended",
            request=request,
        )
