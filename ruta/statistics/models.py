from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.geo.models import Department
from ruta.persons.models import AgeGroup, Sex


class Population(models.Model):
    """Population of a department in a year, by sex and age group: the denominator of SDG 16.2.2.
    Imported by an administrator with its source (a census projection, the statistics institute)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    year = models.PositiveSmallIntegerField(_("year"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)
    value = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=300)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )

    class Meta:
        ordering = ["year", "department__code", "sex", "age_group"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "sex", "age_group"], name="population_unique_cell")
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.year} {self.sex} {self.age_group}: {self.value}"


class ReportPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    ANNUAL = "annual", _("Annual")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be built")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class StatisticsReport(models.Model):
    """The commission's periodic report, built in the background one section per step.

    The files are written only by the last step, in the same transaction that marks the report ready,
    so a worker killed mid-way leaves no file to download (the step is retried). ``data_version`` is
    the fingerprint of the data the figures were counted from."""

    period = models.CharField(_("period"), max_length=8, choices=ReportPeriod.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    sections_done = models.PositiveSmallIntegerField(default=0)
    sections_total = models.PositiveSmallIntegerField(default=0)
    sections = models.JSONField(default=list, blank=True)
    data_version = models.CharField(_("data version"), max_length=64, blank=True)
    data_summary = models.JSONField(default=dict, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    xlsx = models.BinaryField(null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("statistics report")
        verbose_name_plural = _("statistics reports")

    def __str__(self) -> str:
        return f"{self.period} {self.starts_on}–{self.ends_on}"

    @property
    def progress(self) -> int:
        if self.status == ReportStatus.READY:
            return 100
        if not self.sections_total:
            return 0
        return int(100 * self.sections_done / (self.sections_total + 1))


class HtcdsFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", _("Spreadsheet (XLSX)")


class HtcdsExport(models.Model):
    """One HTCDS export asked for on the web and built by the worker.

    The file is stored by the same transaction that marks the export ready, so a worker killed while
    writing leaves nothing to download; the job then runs again from the start."""

    fmt = models.CharField(_("format"), max_length=4, choices=HtcdsFormat.choices)
    k = models.PositiveSmallIntegerField(_("smallest group published"))
    purpose = models.CharField(_("purpose"), max_length=300)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    suppressed = models.PositiveIntegerField(_("rows suppressed"), null=True, blank=True)
    generalised = models.JSONField(_("generalised"), default=dict, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("HTCDS export")
        verbose_name_plural = _("HTCDS exports")

    def __str__(self) -> str:
        return f"HTCDS {self.fmt} {self.requested_at:%Y-%m-%d %H:%M}"
