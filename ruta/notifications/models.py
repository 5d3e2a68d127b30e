from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.core.texts import Text, stored


class Notification(models.Model):
    """An in-app message; e-mail copies are sent by the worker. Texts never carry victims' identities.

    Subject and body are stored as ``Text`` (msgid and parameters) and rendered in the language of
    whoever reads them: the page's, or the recipient's for the e-mail. Rows written before, and
    callers that still pass a translated ``str``, hold plain text, shown as it is."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=48, db_index=True)
    subject_text = models.JSONField(_("subject"), default=str)
    body_text = models.JSONField(_("message"), default=str, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=160, null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once_per_recipient"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject

    @property
    def subject(self) -> str:
        """The subject in the active language."""
        return Text.from_json(self.subject_text).render()

    @subject.setter
    def subject(self, value: Text | str) -> None:
        self.subject_text = stored(value)

    @property
    def body(self) -> str:
        """The body in the active language."""
        return Text.from_json(self.body_text).render()

    @body.setter
    def body(self, value: Text | str) -> None:
        self.body_text = stored(value)
