from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.accounts.roles import ROLE_CHOICES, ROLES, Role
from ruta.core.models import TimeStampedModel
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution


class User(AbstractUser):
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
    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES)
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


class LoginFailure(models.Model):
    """One failed log-in step (password, second factor or re-authentication), for throttling.

    The account is stored as a keyed hash of the typed user name: people sometimes type a password
    into the user-name box, and the table must not keep it."""

    account_key = models.CharField(max_length=32, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed log-in")
        verbose_name_plural = _("failed log-ins")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.ip_address}"


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
