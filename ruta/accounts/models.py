from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import hex_validator, random_hex

from ruta.core.fields import EncryptedTextField
from ruta.core.models import TimeStampedModel
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution
from ruta.policy.roles import ROLES, Role, role_choices


# mypy cannot see the reverse manager of AuthenticatorDevice.user (declared by django-otp's untyped Device).
class User(AbstractUser):  # type: ignore[django-manager-missing]
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(TimeStampedModel):
    """A user's place in the response: a role, in an institution, optionally for a territory."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=32, choices=role_choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("department")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("municipality")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "institution", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role_definition.label} — {self.institution}"

    @property
    def role_definition(self) -> Role:
        return ROLES[self.role]


class RecoveryCode(models.Model):
    """A single-use recovery code for the second factor, stored only as a keyed hash."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}:{'used' if self.used_at else 'unused'}"


class UserSession(models.Model):
    """The sessions a user holds, so they can all be ended when the user's access changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"


def new_totp_key() -> str:
    """A random 20-byte TOTP seed, hex-encoded (RFC 4226 recommends 160 bits)."""
    return str(random_hex(20))


def totp_key_validator(value: str) -> None:
    hex_validator()(value)


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """A TOTP authenticator app (RFC 6238), implementing django-otp's ``Device`` API.

    Ruta's own model instead of ``django_otp.plugins.otp_totp.TOTPDevice`` so that the seed is
    stored like identity data: encrypted with AES-GCM under ``FIELD_ENCRYPTION_KEYS`` (column
    ``accounts.authenticatordevice.key`` bound as associated data), covered by
    ``rotate_encryption_keys``. A database dump or backup therefore never holds a usable seed."""

    key = EncryptedTextField(default=new_totp_key, validators=[totp_key_validator])
    step: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(default=30)
    t0: models.BigIntegerField[int, int] = models.BigIntegerField(default=0)
    digits: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        choices=[(6, 6), (8, 8)], default=6
    )
    tolerance: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(default=1)
    drift: models.SmallIntegerField[int, int] = models.SmallIntegerField(default=0)
    # The last verified time step: a code is never accepted twice.
    last_t: models.BigIntegerField[int, int] = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))

    def verify_token(self, token: Any) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            value = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(value, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                if getattr(settings, "OTP_TOTP_SYNC", True):
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                # Never rewrite the seed on a log-in: only the counters change.
                self.save(
                    update_fields=[
                        "last_t",
                        "drift",
                        "throttling_failure_count",
                        "throttling_failure_timestamp",
                        "last_used_at",
                    ]
                )
        if not verified:
            self.throttle_increment(commit=False)
            self.save(update_fields=["throttling_failure_count", "throttling_failure_timestamp"])
        return bool(verified)

    @property
    def config_url(self) -> str:
        """The otpauth:// URI an authenticator app reads from the QR code."""
        label = str(self.user.get_username())
        params = urlencode(
            {"secret": b32encode(self.bin_key), "algorithm": "SHA1", "digits": self.digits, "period": self.step}
        )
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "") or "").replace(":", "")
        if issuer:
            label = f"{issuer}:{label}"
            params += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{params}"


class WebAuthnCredential(models.Model):
    """A security key or platform authenticator (WebAuthn), a second factor beside TOTP.

    Only the public half of the key pair is stored (the private key never leaves the authenticator),
    so it needs no encryption; it is never shown, in a page or in the admin. ``sign_count`` is the
    authenticator's signature counter: a value that fails to grow is refused as a possible clone."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="webauthn_credentials")
    # base64url of the credential id (at most 1023 bytes, so at most 1364 characters).
    credential_id = models.CharField(max_length=1400, unique=True)
    public_key = models.BinaryField(editable=False)
    # The user handle the authenticator stores with the credential: random, the same for all of a
    # user's keys, never the user name or the database id.
    user_handle = models.BinaryField(editable=False)
    sign_count: models.PositiveBigIntegerField[int, int] = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    name = models.CharField(_("name"), max_length=64)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.name}"
