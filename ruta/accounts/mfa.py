"""The second factor: TOTP (RFC 6238, any authenticator app) or a security key (WebAuthn, see
``ruta.accounts.security_keys``), plus single-use recovery codes.

Who must use it: every user holding a role that sees identities (``Role.sees_identities``), every
administrator and every staff user. Anyone else who enrolled a device is asked for it too."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import AuthenticatorDevice, RecoveryCode, User, WebAuthnCredential
from ruta.accounts.notices import CredentialChange, credential_change_record
from ruta.accounts.selectors import users_administered
from ruta.accounts.sessions import end_user_sessions
from ruta.policy.access import has_perm
from ruta.policy.permissions import PlatformPermission
from ruta.policy.roles import ROLES

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"


def mfa_required(user: User) -> bool:
    if user.is_staff or user.is_superuser:
        return True
    roles = user.memberships.filter(is_active=True).values_list("role", flat=True)
    return any(code == "administrator" or (code in ROLES and ROLES[code].sees_identities) for code in roles)


def confirmed_device(user: User) -> AuthenticatorDevice | None:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_security_key(user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user).exists()


def has_second_factor(user: User) -> bool:
    """An authenticator app or a security key: either satisfies the "second factor required" rule."""
    return confirmed_device(user) is not None or has_security_key(user)


def needs_second_factor(user: User) -> bool:
    if not settings.MFA_ENFORCED:
        return False
    return has_second_factor(user) or mfa_required(user)


def code_needed_to_reauthenticate(user: User) -> bool:
    """Whether re-authentication asks for a second factor too (a code or a security key)."""
    return settings.MFA_ENFORCED and has_second_factor(user)


def pending_device(user: User) -> AuthenticatorDevice:
    """The unconfirmed device being enrolled (one per user), created on first use."""
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = AuthenticatorDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: AuthenticatorDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: AuthenticatorDevice) -> str:
    """The provisioning QR code as an inline SVG data URI (no network, allowed by the CSP)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.casefold() if ch.isalnum())


def _code_hash(code: str) -> str:
    key = hashlib.sha256(b"ruta-recovery-codes:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, _normalise_code(code).encode(), hashlib.sha256).hexdigest()


def verify_second_factor(user: User, code: str) -> str | None:
    """Check a TOTP code or an unused recovery code; returns "totp", "recovery" or None."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    digits = code.replace(" ", "")
    if digits.isdigit() and len(digits) == 6:
        for device in AuthenticatorDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(digits):
                return "totp"
        return None
    used = RecoveryCode.objects.filter(user=user, code_hash=_code_hash(code), used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return "recovery" if used else None


@transaction.atomic
def recovery_codes_issue(*, actor: User, user: User, announce: bool = True) -> list[str]:
    """Replace the user's recovery codes with new ones; the plain codes are shown once, never stored.

    The user is told (in the app and by e-mail) unless ``announce`` is False: at enrolment the
    message about the new authenticator already says that codes were issued."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    recovery_codes_store(user=user, codes=codes)
    credential_change_record(
        actor=actor,
        user=user,
        change=CredentialChange.RECOVERY_CODES,
        object_type="accounts.recovery_codes",
        object_id=user.pk,
        summary="recovery codes issued",
        tell_user=announce,
    )
    return codes


def recovery_codes_store(*, user: User, codes: list[str]) -> None:
    """Keep (the hashes of) exactly these recovery codes for the user; callers audit the change."""
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_code_hash(code)) for code in codes])


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def device_confirm(*, user: User, device: AuthenticatorDevice, code: str) -> bool:
    """Confirm an enrolment with the first code the app shows; removes any older device."""
    if not (code or "").strip().isdigit() or not device.verify_token(code.strip()):
        return False
    AuthenticatorDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    credential_change_record(
        actor=user,
        user=user,
        change=CredentialChange.MFA_ENROLLED,
        object_type="accounts.mfa_device",
        object_id=device.pk,
        summary="authenticator enrolled",
    )
    return True


MIN_RESET_REASON = 20


class MfaResetError(ValueError):
    """A refused reset, with the form field it concerns and a translated message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def mfa_reset(*, actor: User, user: User, reason: str, request: Any = None) -> None:
    """An administrator removes a user's lost authenticator, security keys and recovery codes, with a reason.

    Only for users of institutions the actor may administer (``USER_MANAGE`` in its scope), never
    for oneself. Every session of the user ends; the user enrols again at next log-in and is told
    (in the app and by e-mail, without the reason). Audited with the reason. Views call this after
    a recent re-authentication of the actor."""
    if not has_perm(actor, PlatformPermission.USER_MANAGE):
        raise PermissionError("resetting a second factor needs USER_MANAGE")
    if user.pk == actor.pk:
        raise MfaResetError("username", _("You cannot reset your own second factor: ask another administrator."))
    if not users_administered(actor).filter(pk=user.pk).exists():
        raise PermissionError("this user is outside the institutions the actor administers")
    reason = (reason or "").strip()
    if len(reason) < MIN_RESET_REASON:
        raise MfaResetError("reason", _("Explain why, in at least %(count)s characters.") % {"count": MIN_RESET_REASON})
    with transaction.atomic():
        devices = AuthenticatorDevice.objects.filter(user=user).delete()[0]
        keys = WebAuthnCredential.objects.filter(user=user).delete()[0]
        codes = RecoveryCode.objects.filter(user=user).delete()[0]
        ended = end_user_sessions(user.pk)
        credential_change_record(
            actor=actor,
            user=user,
            change=CredentialChange.MFA_RESET,
            object_type="accounts.mfa_device",
            object_id=user.pk,
            summary=(
                f"second factor reset ({devices} authenticators, {keys} security keys, "
                f"{codes} recovery codes, {ended} sessions ended)"
            ),
            reason=reason,
            request=request,
        )
