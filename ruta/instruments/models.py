"""Data-collection instruments authored as XLSForms (the ODK / KoBoToolbox standard) and their answers.

An ``Instrument`` is one form (its XLSForm ``form_id``); each upload of the spreadsheet is an
``InstrumentVersion`` (the ``version`` setting), kept with its original bytes so it can be exported
back unchanged, with the XForm XML pyxform generated for ODK Collect / KoBoCollect, and with the
parsed survey that Ruta renders and validates against. A ``Submission`` is one filled form, keyed
by its instance ID (``meta/instanceID``, KoBo's ``_uuid``) so importing the same file twice creates
nothing new; its ``data`` maps each question's path (``group/question``) to the answer."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.institutions.models import Institution


class Instrument(models.Model):
    form_id = models.CharField(_("form ID"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The institution of whoever imported it first."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> InstrumentVersion | None:
        return self.versions.order_by("-imported_at", "-pk").first()


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.CharField(_("version"), max_length=120)
    title = models.CharField(_("title"), max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    xlsx = models.BinaryField(_("XLSForm file"))
    xform_xml = models.TextField(_("XForm XML"))
    survey = models.JSONField(_("parsed survey"), default=list)
    choices = models.JSONField(_("choice lists"), default=dict)
    settings = models.JSONField(_("form settings"), default=dict, blank=True)
    languages = models.JSONField(_("label languages"), default=list, blank=True)
    warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    question_count = models.PositiveIntegerField(_("questions"), default=0)
    choice_count = models.PositiveIntegerField(_("choices"), default=0)
    imported_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["instrument", "-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="instrument_version_unique"),
        ]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")

    def __str__(self) -> str:
        return f"{self.instrument.form_id} {self.version}"


class SubmissionSource(models.TextChoices):
    WEB = "web", _("Filled in Ruta")
    KOBO_CSV = "kobo_csv", _("KoBoToolbox CSV export")
    KOBO_XLSX = "kobo_xlsx", _("KoBoToolbox XLSX export")
    ODK_CSV = "odk_csv", _("ODK Central CSV export")
    ODK_XLSX = "odk_xlsx", _("ODK Central XLSX export")
    ODK_API = "odk_api", _("ODK Central server")


class SubmissionImport(models.Model):
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="imports"
    )
    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    source = models.CharField(_("source"), max_length=12, choices=SubmissionSource.choices)
    imported_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    row_count = models.PositiveIntegerField(_("rows read"), default=0)
    imported_count = models.PositiveIntegerField(_("imported"), default=0)
    already_present_count = models.PositiveIntegerField(_("already present"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("submission import")
        verbose_name_plural = _("submission imports")

    def __str__(self) -> str:
        return self.file_name


class Submission(models.Model):
    # No index of its own: the unique (instrument, instance_id) constraint serves lookups by
    # instrument, and every index less makes a 100,000-row import faster.
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="submissions", db_index=False
    )
    version = models.ForeignKey(
        InstrumentVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="submissions"
    )
    instance_id = models.CharField(_("instance ID"), max_length=120)
    data = models.JSONField(_("answers"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    submitted_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The institution of whoever entered or imported it."),
    )
    source = models.CharField(_("source"), max_length=12, choices=SubmissionSource.choices)
    submission_import = models.ForeignKey(
        SubmissionImport,
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "instance_id"], name="submission_instance_unique"),
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.instance_id
