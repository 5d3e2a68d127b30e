"""Security keys and platform authenticators (WebAuthn, W3C Level 2) as a second factor beside TOTP.

Ceremonies are verified by ``py_webauthn``; the browser side is ``@simplewebauthn/browser`` served
locally (``ruta/static/js/accounts/security_keys.js``). A challenge is kept server-side in the
session, bound to one purpose (adding a key, log-in, re-authentication) and one user, and is
single-use (taken out of the session before it is checked) and short-lived
(``WEBAUTHN_CHALLENGE_SECONDS``). The relying party is ``WEBAUTHN_RP_ID``; the origin is one of
``WEBAUTHN_ORIGINS`` or, when that is empty, the request's own (its host already checked against
``ALLOWED_HOSTS``). A signature counter that does not grow is refused and audited as a possible
cloned authenticator."""

from __future__ import annotations

import enum
import json
import secrets
import time

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ruta.accounts import mfa
from ruta.accounts.models import User, WebAuthnCredential
from ruta.accounts.notices import CredentialChange, credential_change_record
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record

CHALLENGE = "ruta_webauthn_challenge"
MAX_RESPONSE_CHARS = 20_000
TIMEOUT_MS = 60_000


class Purpose(enum.StrEnum):
    REGISTER = "register"
    LOGIN = "login"
    REAUTH = "reauth"


class SecurityKeyError(ValueError):
    """A refused ceremony, with a translated message for the person and a summary for the audit."""

    def __init__(self, message: str, summary: str = "security key refused") -> None:
        super().__init__(message)
        self.message = message
        self.summary = summary


def security_keys(user: User) -> list[WebAuthnCredential]:
    """The user's keys for their own security page (never the public key itself)."""
    return list(
        WebAuthnCredential.objects.filter(user=user)
        .only("id", "user_id", "name", "created_at", "last_used_at")
        .order_by("created_at", "id")
    )


def expected_origins(request: HttpRequest) -> list[str]:
    configured = list(settings.WEBAUTHN_ORIGINS)
    return configured or [f"{request.scheme}://{request.get_host()}"]


def _store_challenge(request: HttpRequest, *, purpose: Purpose, user: User, challenge: bytes) -> None:
    request.session[CHALLENGE] = {
        "purpose": str(purpose),
        "user": int(user.pk),
        "challenge": bytes_to_base64url(challenge),
        "at": time.time(),
    }


def _take_challenge(request: HttpRequest, *, purpose: Purpose, user: User) -> bytes:
    """The pending challenge for this purpose and user, removed from the session (single use)."""
    stored = request.session.pop(CHALLENGE, None)
    if (
        not isinstance(stored, dict)
        or stored.get("purpose") != str(purpose)
        or stored.get("user") != int(user.pk)
        or time.time() - float(stored.get("at") or 0) > settings.WEBAUTHN_CHALLENGE_SECONDS
    ):
        raise SecurityKeyError(
            _("The request to your security key expired. Please try again."), "security key challenge missing or stale"
        )
    return base64url_to_bytes(str(stored["challenge"]))


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    descriptors = []
    for credential_id, transports in WebAuthnCredential.objects.filter(user=user).values_list(
        "credential_id", "transports"
    ):
        known = [AuthenticatorTransport(t) for t in transports or [] if t in AuthenticatorTransport._value2member_map_]
        descriptors.append(
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(credential_id), transports=known or None)
        )
    return descriptors


def _user_handle(user: User) -> bytes:
    existing = WebAuthnCredential.objects.filter(user=user).values_list("user_handle", flat=True).first()
    return bytes(existing) if existing else secrets.token_bytes(32)


def registration_options(*, actor: User, request: HttpRequest) -> str:
    """Options for ``navigator.credentials.create()`` (JSON); the challenge stays in the session."""
    options = generate_registration_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_name=actor.get_username(),
        user_display_name=actor.get_username(),
        user_id=_user_handle(actor),
        timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(actor),
    )
    _store_challenge(request, purpose=Purpose.REGISTER, user=actor, challenge=options.challenge)
    return str(options_to_json(options))


def _check_size(response_json: str) -> str:
    response_json = (response_json or "").strip()
    if not response_json:
        raise SecurityKeyError(
            _("Your browser did not answer. Use a browser that supports security keys, with JavaScript enabled."),
            "no security key response",
        )
    if len(response_json) > MAX_RESPONSE_CHARS:
        raise SecurityKeyError(_("Your security key could not be verified."), "security key response too large")
    return response_json


def security_key_register(*, actor: User, request: HttpRequest, name: str, response_json: str) -> WebAuthnCredential:
    """Verify the answer to ``registration_options`` and store the new key. Views call this after a
    recent re-authentication of the actor. The user is told (in the app and by e-mail)."""
    response_json = _check_size(response_json)
    name = (name or "").strip()[:64]
    if not name:
        raise SecurityKeyError(_("Give the key a name."), "security key without a name")
    challenge = _take_challenge(request, purpose=Purpose.REGISTER, user=actor)
    if WebAuthnCredential.objects.filter(user=actor).count() >= settings.WEBAUTHN_MAX_KEYS:
        raise SecurityKeyError(
            _("You already have %(count)s security keys; remove one first.") % {"count": settings.WEBAUTHN_MAX_KEYS},
            "too many security keys",
        )
    try:
        verified = verify_registration_response(
            credential=response_json,
            expected_challenge=challenge,
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=expected_origins(request),
            require_user_verification=False,
        )
        transports = json.loads(response_json).get("response", {}).get("transports") or []
    except (WebAuthnException, ValueError, TypeError, KeyError, AttributeError) as error:
        raise SecurityKeyError(
            _("Your security key could not be verified."), f"security key registration refused: {error}"[:200]
        ) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    with transaction.atomic():
        if WebAuthnCredential.objects.filter(credential_id=credential_id).exists():
            raise SecurityKeyError(_("This security key is already registered."), "security key already registered")
        credential = WebAuthnCredential.objects.create(
            user=actor,
            credential_id=credential_id,
            public_key=verified.credential_public_key,
            user_handle=_user_handle(actor),
            sign_count=verified.sign_count,
            transports=[str(t)[:16] for t in transports if isinstance(t, str)][:8],
            name=name,
        )
        credential_change_record(
            actor=actor,
            user=actor,
            change=CredentialChange.SECURITY_KEY_ADDED,
            object_type="accounts.webauthn_credential",
            object_id=credential.pk,
            summary="security key added",
            request=request,
        )
    return credential


def authentication_options(*, user: User, request: HttpRequest, purpose: Purpose) -> str:
    """Options for ``navigator.credentials.get()`` naming the user's keys (JSON), or "" if none."""
    descriptors = _descriptors(user)
    if not descriptors:
        request.session.pop(CHALLENGE, None)
        return ""
    options = generate_authentication_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        timeout=TIMEOUT_MS,
        allow_credentials=descriptors,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _store_challenge(request, purpose=purpose, user=user, challenge=options.challenge)
    return str(options_to_json(options))


def security_key_authenticate(
    *, user: User, request: HttpRequest, response_json: str, purpose: Purpose
) -> WebAuthnCredential:
    """Verify an assertion by one of ``user``'s keys against the pending challenge; on success the
    key's counter and last use are updated. Raises ``SecurityKeyError`` (the caller records the
    failed attempt for throttling, as for a wrong code)."""
    response_json = _check_size(response_json)
    challenge = _take_challenge(request, purpose=purpose, user=user)
    refused = _("Your security key could not be verified.")
    try:
        parsed = parse_authentication_credential_json(response_json)
    except (WebAuthnException, ValueError, TypeError) as error:
        raise SecurityKeyError(refused, "security key response malformed") from error
    with transaction.atomic():
        credential = WebAuthnCredential.objects.select_for_update().filter(user=user, credential_id=parsed.id).first()
        if credential is None:
            raise SecurityKeyError(refused, "security key not registered to this user")
        try:
            # The counter is checked below, after the signature, so that only a genuine signature
            # with a stale counter is reported as a possible clone.
            verified = verify_authentication_response(
                credential=parsed,
                expected_challenge=challenge,
                expected_rp_id=settings.WEBAUTHN_RP_ID,
                expected_origin=expected_origins(request),
                credential_public_key=bytes(credential.public_key),
                credential_current_sign_count=0,
                require_user_verification=False,
            )
        except (WebAuthnException, ValueError, TypeError) as error:
            raise SecurityKeyError(refused, f"security key assertion refused: {error}"[:200]) from error
        new_count = int(verified.new_sign_count)
        stored_count = int(credential.sign_count)
        cloned = (new_count > 0 or stored_count > 0) and new_count <= stored_count
        if not cloned:
            credential.sign_count = new_count
            credential.last_used_at = timezone.now()
            credential.save(update_fields=["sign_count", "last_used_at"])
    if cloned:
        audit_record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            object_type="accounts.webauthn_credential",
            object_id=str(credential.pk),
            summary=f"security key counter did not grow ({new_count} <= {stored_count}): possible clone",
            request=request,
        )
        raise SecurityKeyError(
            _("This security key may have been copied and was refused. Contact your administrator."),
            "security key counter did not grow",
        )
    return credential


def security_key_remove(*, actor: User, credential: WebAuthnCredential, request: HttpRequest | None = None) -> None:
    """The owner removes one of their keys. Views call this after a recent re-authentication."""
    if credential.user_id != actor.pk:
        raise PermissionError("only the owner removes a security key")
    with transaction.atomic():
        others = WebAuthnCredential.objects.select_for_update().filter(user=actor).exclude(pk=credential.pk)
        if mfa.mfa_required(actor) and mfa.confirmed_device(actor) is None and not others.exists():
            raise SecurityKeyError(
                _("This is your only second factor: add another security key before removing this one."),
                "last second factor kept",
            )
        pk = credential.pk
        credential.delete()
        credential_change_record(
            actor=actor,
            user=actor,
            change=CredentialChange.SECURITY_KEY_REMOVED,
            object_type="accounts.webauthn_credential",
            object_id=pk,
            summary="security key removed",
            request=request,
        )
