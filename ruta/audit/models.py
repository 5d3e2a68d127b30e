"""The append-only audit trail: who read or changed what, when, and why if asked.

Rows are only ever inserted. The model refuses saves of existing rows and deletes, its queryset
refuses bulk update and delete, and a database trigger (SQLite and PostgreSQL) refuses UPDATE and
DELETE from any client."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
    pass


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit events cannot be updated")

    def delete(self) -> NoReturn:
        raise AuditImmutableError("audit events cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit events cannot be updated")


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    TRANSITION = "transition", _("State change")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Log in")
    LOGIN_FAILED = "login_failed", _("Failed log-in")
    LOGOUT = "logout", _("Log out")
    BREAK_GLASS = "break_glass", _("Break-the-glass access")
    SEARCH = "search", _("Identity search")
    MERGE = "merge", _("Merge")
    CONFIG = "config", _("Configuration change")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        db_constraint=True,
        db_index=False,  # audit_actor_at leads with it
    )
    # The most written table of all (every read of a record): only the indexes the audit browser and
    # the unusual-access watch use. Action and record type have a few dozen values: filtered on the
    # time index.
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=64)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_reference = models.CharField(_("record reference"), max_length=64, blank=True)
    summary = models.CharField(_("what"), max_length=300, blank=True)
    reason = models.TextField(_("reason given"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["object_reference", "-at"], name="audit_reference_at"),  # "who opened V-…?"
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit events cannot be deleted")
