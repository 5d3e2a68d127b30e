"""The indicator catalogue (data an administrator imports and edits) and the formal screenings done.

The catalogue is reference data: lists (ILO–EC adult/child × labour/sexual, and the ILO forced-labour
checklist), dimensions, indicators with their strength, and the rule table. Every list and row keeps
its source and verification status; labels are per language with a status per language."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.core.models import TranslatedLabelsMixin


class Verification(models.TextChoices):
    VERIFIED = "verified", _("Verified against the official source")
    CORROBORATED = "corroborated", _("Corroborated by secondary sources")
    UNVERIFIED = "unverified", _("Unverified (secondary transcription)")
    NOT_TRANSCRIBED = "not_transcribed", _("Not transcribed yet")


class LabelStatus(models.TextChoices):
    """How far a label in one language can be trusted (``label_status`` holds one per language)."""

    SOURCE = "source", _("Wording of the source")
    CORROBORATED = "corroborated", _("Corroborated")
    UNVERIFIED = "unverified", _("Unverified")
    WORKING = "working", _("Working translation")


class ListKind(models.TextChoices):
    ILO_EC = "ilo_ec", _("ILO–EC operational indicators of trafficking")
    FORCED_LABOUR = "forced_labour", _("ILO indicators of forced labour (inspection checklist)")


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("Adults")
    CHILD = "child", _("Children")


class Exploitation(models.TextChoices):
    LABOUR = "labour", _("Labour exploitation")
    SEXUAL = "sexual", _("Sexual exploitation")


class Strength(models.TextChoices):
    STRONG = "strong", _("Strong")
    MEDIUM = "medium", _("Medium")
    WEAK = "weak", _("Weak")


class Origin(models.TextChoices):
    BUNDLED = "bundled", _("Bundled with Ruta")
    UPLOADED = "uploaded", _("Imported by an administrator")


class Outcome(models.TextChoices):
    TRAFFICKING = "trafficking", _("Presumed trafficking")
    POSSIBLE = "possible", _("Possible trafficking: further assessment")
    NOT_INDICATED = "not_indicated", _("Not indicated")


class IndicatorList(TranslatedLabelsMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ListKind.choices, default=ListKind.ILO_EC)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices, blank=True)
    exploitation = models.CharField(_("exploitation"), max_length=10, choices=Exploitation.choices, blank=True)
    source = models.TextField(_("source"), blank=True)
    verification = models.CharField(
        _("verification status"), max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.BUNDLED)
    version = models.PositiveIntegerField(_("version"), default=1)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator list")
        verbose_name_plural = _("indicator lists")
        constraints = [
            models.UniqueConstraint(
                fields=["age_group", "exploitation"],
                condition=~models.Q(age_group=""),
                name="screening_one_list_per_group_and_exploitation",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED

    @property
    def is_screening_list(self) -> bool:
        return bool(self.age_group and self.exploitation)


class Dimension(TranslatedLabelsMixin, models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)
    label_status = models.JSONField(_("label status by language"), default=dict, blank=True)
    source = models.TextField(_("source"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return self.code


class Indicator(TranslatedLabelsMixin, models.Model):
    """One row of a list. Codes are unique across the catalogue and never reused for another meaning;
    a row dropped by a later import is deactivated, not deleted, so old screenings stay readable."""

    indicator_list = models.ForeignKey(
        IndicatorList, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("list")
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dimension")
    )
    # Forced-labour checklist rows map to several dimensions (Ruta's working mapping).
    mapped_dimensions = models.JSONField(_("mapped dimensions"), default=list, blank=True)
    related_codes = models.JSONField(_("related ILO–EC indicators"), default=list, blank=True)
    strength = models.CharField(_("strength"), max_length=10, choices=Strength.choices, blank=True)
    label_status = models.JSONField(_("label status by language"), default=dict, blank=True)
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["indicator_list__position", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        indexes = [models.Index(fields=["indicator_list", "is_active"], name="screening_ind_list_active")]

    def __str__(self) -> str:
        return self.code


class RuleTable(models.Model):
    """The combination rules as editable JSON (see ``ruta.screening.rules``). One active row."""

    code = models.SlugField(_("code"), max_length=40, unique=True, default="default")
    rules = models.JSONField(_("rules"))
    source = models.TextField(_("source"), blank=True)
    verification = models.CharField(
        _("verification status"), max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    verification_note = models.TextField(_("verification note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rule table")
        verbose_name_plural = _("rule tables")

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class ScreeningRecord(models.Model):
    """One formal screening of a subject (an alert's person, a case's presumed victim…), with the
    input, the full result and the catalogue versions used, so it reads the same years later."""

    subject_type = models.CharField(_("subject type"), max_length=40)
    subject_id = models.CharField(_("subject id"), max_length=64)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    presumed_child = models.BooleanField(_("presumed a child"), null=True, blank=True)
    exploitation = models.CharField(_("exploitation"), max_length=10, choices=Exploitation.choices)
    indicator_codes = models.JSONField(_("indicators"), default=list)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    child_rule = models.BooleanField(_("child rule"))
    dimensions = models.JSONField(_("dimensions"), default=dict)
    rationale = models.JSONField(_("rationale"), default=list)
    result = models.JSONField(_("full result"), default=dict)
    indicators_snapshot = models.JSONField(_("indicators as used"), default=list)
    list_code = models.CharField(_("list used"), max_length=40)
    list_version = models.PositiveIntegerField(_("list version"))
    rules_version = models.PositiveIntegerField(_("rule table version"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("screened by")
    )
    created_at = models.DateTimeField(_("screened at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="screening_subject")]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} {self.outcome}"

    @property
    def display(self) -> dict[str, object]:
        """The stored result as ``screening/includes/result.html`` shows it (no query)."""
        from ruta.screening.display import display_result

        return display_result(self.result)
