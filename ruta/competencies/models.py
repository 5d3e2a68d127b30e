"""Competency frameworks and needs assessments.

A ``Framework`` (per role or profession) groups ``Competency`` rows into ``CompetencyDomain`` rows and
rates them on a ``ProficiencyLevel`` scale (1..N, a descriptor per level, optionally overridden per
competency by ``CompetencyLevelDescriptor``). ``TargetLevel`` is the level a role is expected to reach.
An ``Assessment`` is one self-, supervisor or follow-up rating of a person against a framework, with
one ``Rating`` per competency; the gap is the target minus the rated level."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.core.fields import EncryptedTextField
from ruta.core.models import TimeStampedModel, TranslatedLabelsMixin, translated_label
from ruta.geo.models import Department
from ruta.institutions.models import Institution


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    VALIDATED = "validated", _("Validated")
    RETIRED = "retired", _("Retired")


class Framework(TranslatedLabelsMixin, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description_labels = models.JSONField(_("description by language"), default=dict, blank=True)
    target_roles = models.JSONField(
        _("target roles or professions"),
        default=list,
        blank=True,
        help_text=_("Role codes and/or free profession labels this framework applies to."),
    )
    version = models.CharField(_("version"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT, db_index=True
    )
    is_example = models.BooleanField(
        _("illustrative draft"),
        default=False,
        help_text=_("An example to be replaced by the validated list of the responsible institution."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")

    def __str__(self) -> str:
        return self.label

    @property
    def description(self) -> str:
        return translated_label(self.description_labels)


class CompetencyDomain(TranslatedLabelsMixin):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="domains", verbose_name=_("framework")
    )
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("competency domain")
        verbose_name_plural = _("competency domains")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_domain_unique_code"),
        ]

    def __str__(self) -> str:
        return self.label


class Competency(TranslatedLabelsMixin):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="competencies", verbose_name=_("framework")
    )
    domain = models.ForeignKey(
        CompetencyDomain, on_delete=models.PROTECT, related_name="competencies", verbose_name=_("domain")
    )
    code = models.CharField(_("code"), max_length=40)
    description_labels = models.JSONField(_("description by language"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competency_unique_code"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def description(self) -> str:
        return translated_label(self.description_labels)


class ProficiencyLevel(TranslatedLabelsMixin):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="levels", verbose_name=_("framework")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1)])
    descriptor_labels = models.JSONField(_("descriptor by language"), default=dict, blank=True)

    class Meta:
        ordering = ["framework", "level"]
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "level"], name="proficiency_level_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1), name="proficiency_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.level} — {self.label}"

    @property
    def descriptor(self) -> str:
        return translated_label(self.descriptor_labels)


class CompetencyLevelDescriptor(models.Model):
    """What a level looks like for one competency, when the framework-wide descriptor is too vague."""

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="level_descriptors", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1)])
    descriptor_labels = models.JSONField(_("descriptor by language"), default=dict, blank=True)

    class Meta:
        ordering = ["competency", "level"]
        verbose_name = _("level descriptor for a competency")
        verbose_name_plural = _("level descriptors for a competency")
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="competency_level_descriptor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} {self.level}"

    @property
    def descriptor(self) -> str:
        return translated_label(self.descriptor_labels)


class TargetLevel(models.Model):
    """The level a role (a role code, or a free profession label) is expected to reach in a competency."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="targets", verbose_name=_("framework")
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="targets", verbose_name=_("competency")
    )
    role = models.CharField(_("role or profession"), max_length=80)
    level = models.PositiveSmallIntegerField(_("target level"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["framework", "role", "competency__order"]
        verbose_name = _("target level")
        verbose_name_plural = _("target levels")
        constraints = [
            models.UniqueConstraint(fields=["competency", "role"], name="target_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.competency.code} {self.level}"


class AssessmentKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    SUPERVISOR = "supervisor", _("Supervisor assessment")
    FOLLOW_UP = "follow_up", _("Follow-up assessment")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Assessment(TimeStampedModel):
    """One rating of a person against a framework. ``institution`` and ``department`` are the person's
    place when assessed, kept so aggregates by institution or department do not move when they change jobs."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="competency_assessments",
        verbose_name=_("person assessed"),
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AssessmentKind.choices, db_index=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessor")
    )
    assessed_on = models.DateField(_("assessed on"), db_index=True)
    round_label = models.CharField(_("round"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution of the person"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department of the person"),
    )
    is_synthetic = models.BooleanField(_("demonstration data"), default=False, db_index=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("competency assessment")
        verbose_name_plural = _("competency assessments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on:%Y-%m-%d}"


class Rating(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("assessment")
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1)])
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["assessment", "competency__order"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="rating_one_per_competency"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code}: {self.level}"
