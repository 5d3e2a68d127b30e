from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutreachVisit(models.Model):
    """A planned community outreach session of an institution; its report is due by ``planned_for``."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    planned_for = models.DateTimeField(_("planned for"))
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    # Declared because the type checker reads Ruta's settings, where this module is not installed.
    objects: models.Manager[OutreachVisit] = models.Manager()

    class Meta:
        ordering = ["planned_for", "id"]
        verbose_name = _("outreach visit")
        verbose_name_plural = _("outreach visits")

    def __str__(self) -> str:
        return self.title
