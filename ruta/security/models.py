"""Records of the security machinery: break-the-glass grants, retention rules, key rotation progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.security.retention_policies import POLICY_MAX_LENGTH, retention_policy_choices


class BreakGlassGrant(models.Model):
    """A time-limited right for one user to open one record outside their scope, with the reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants", verbose_name=_("user")
    )
    object_type = models.CharField(_("record type"), max_length=64)
    object_id = models.CharField(_("record id"), max_length=64)
    object_reference = models.CharField(_("record reference"), max_length=64, blank=True)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("break-the-glass grant")
        verbose_name_plural = _("break-the-glass grants")
        indexes = [models.Index(fields=["user", "object_type", "expires_at"], name="break_glass_lookup")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.object_type}:{self.object_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class RetentionRule(models.Model):
    """How long data of one kind is kept; administrators change the period or switch a rule off."""

    # The apps register the policies (``ruta.security.retention.register_retention``).
    policy = models.CharField(_("policy"), max_length=POLICY_MAX_LENGTH, choices=retention_policy_choices, unique=True)
    keep_days = models.PositiveIntegerField(_("keep for (days)"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_run_count = models.PositiveIntegerField(_("records treated at the last run"), default=0)

    class Meta:
        ordering = ["policy"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.policy}: {self.keep_days} days"


class KeyRotationProgress(models.Model):
    """How far ``rotate_encryption_keys`` got in one column (or token family), so it can resume."""

    column = models.CharField(max_length=128, unique=True)
    target_key_id = models.CharField(max_length=16)
    last_pk = models.CharField(max_length=64, blank=True)
    rewritten = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("key rotation progress")
        verbose_name_plural = _("key rotation progress")

    def __str__(self) -> str:
        return f"{self.column} → {self.target_key_id} after {self.last_pk or '∅'}"
