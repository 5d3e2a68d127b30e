"""Telling users that one of their credentials changed (ASVS 2.2.3), in the app and by e-mail.

Called inside the transaction of the change itself. The message says what changed and when, in the
reader's language (a stored ``Text``: the page's language in the app, the user's own by e-mail); it
never carries a password, a code, a seed or the reason an operator gave, so an
e-mail copy is harmless if someone else reads the mailbox."""

from __future__ import annotations

import enum
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.texts import Text
from ruta.notifications.services import notify


class CredentialChange(enum.StrEnum):
    PASSWORD_CHANGED = "accounts.password_changed"  # noqa: S105 - a notification kind, not a secret
    PASSWORD_SET_BY_ADMIN = "accounts.password_set"  # noqa: S105 - a notification kind
    MFA_ENROLLED = "accounts.mfa_enrolled"
    MFA_RESET = "accounts.mfa_reset"
    RECOVERY_CODES = "accounts.recovery_codes"
    SECURITY_KEY_ADDED = "accounts.security_key_added"
    SECURITY_KEY_REMOVED = "accounts.security_key_removed"


# What each change says: subject and body (``%(username)s``, ``%(when)s``), translated when read.
TEXTS: dict[CredentialChange, tuple[str, str]] = {
    CredentialChange.PASSWORD_CHANGED: (
        _("Your password was changed"),
        _(
            "The password of your account %(username)s was changed on %(when)s, and your other sessions "
            "were ended. If you did not change it, contact your administrator at once."
        ),
    ),
    CredentialChange.PASSWORD_SET_BY_ADMIN: (
        _("An administrator set a new password for you"),
        _(
            "An administrator set a new password for your account %(username)s on %(when)s. "
            "If you did not ask for this, contact your administrator at once."
        ),
    ),
    CredentialChange.MFA_ENROLLED: (
        _("An authenticator app was linked to your account"),
        _(
            "An authenticator app was linked to your account %(username)s on %(when)s, and new recovery "
            "codes were issued. If you did not do this, contact your administrator at once."
        ),
    ),
    CredentialChange.MFA_RESET: (
        _("Your second factor was reset"),
        _(
            "An administrator reset the second factor of your account %(username)s on %(when)s and ended "
            "your sessions. At your next log-in you will link an authenticator app again. If you did not "
            "ask for this, contact your administrator at once."
        ),
    ),
    CredentialChange.SECURITY_KEY_ADDED: (
        _("A security key was added to your account"),
        _(
            "A security key was added to your account %(username)s on %(when)s. "
            "If you did not do this, contact your administrator at once."
        ),
    ),
    CredentialChange.SECURITY_KEY_REMOVED: (
        _("A security key was removed from your account"),
        _(
            "A security key was removed from your account %(username)s on %(when)s. "
            "If you did not do this, contact your administrator at once."
        ),
    ),
    CredentialChange.RECOVERY_CODES: (
        _("New recovery codes were generated"),
        _(
            "New recovery codes were generated for your account %(username)s on %(when)s; the old ones no "
            "longer work. If you did not do this, contact your administrator at once."
        ),
    ),
}


def credential_change_notify(*, user: User, change: CredentialChange) -> None:
    """An in-app notification and an e-mail (if the user has an address) about ``change``."""
    subject, body = TEXTS[change]
    params = {"username": user.get_username(), "when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    notify(
        recipients=[user],
        kind=str(change),
        subject=Text(subject),
        body=Text(body, params),
        url=reverse("accounts:security"),
    )


def credential_change_record(
    *,
    actor: User,
    user: User,
    change: CredentialChange,
    object_type: str,
    object_id: Any,
    summary: str,
    reason: str = "",
    request: Any = None,
    tell_user: bool = True,
) -> None:
    """Audit a change to ``user``'s credentials and, unless ``tell_user`` is False, tell the user."""
    audit_record(
        actor=actor,
        action=AuditAction.CONFIG,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        reason=reason,
        request=request,
    )
    if tell_user:
        credential_change_notify(user=user, change=change)
