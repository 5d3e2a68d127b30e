from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """First-level administrative division. Keyed on its official code: names can repeat."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=8, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """Second-level division; the code (e.g. INE ``0801``) is the key everything refers to."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("department")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.department.name})"
