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
