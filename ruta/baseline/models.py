"""The baseline study: the state of the national response, measured and compared over time.

A ``Study`` (e.g. "Línea de base 2019") is repeated in ``Round``s (baseline, midline, endline), each
with its instruments (``ruta.instruments``), territories and institutions. A round holds:

- **workshops** with sessions, participants (names are personal data: encrypted, need-to-know),
  sign-in per session, group-work outputs and findings; every figure ("35 participants, 12
  institutions, 48 % women") is computed from these rows (``figures.py``), never typed;
- **capacity assessments**: per institution, a score per dimension of the grid (``CapacityDimension``
  and its levels are data, labelled per language);
- **findings and recommendations** linked to their evidence (any record: a submission, a workshop
  output, a capacity assessment) and the round's **report**, built in the background.

The **initiative inventory** and the **declared links** between institutions feed the actor map
(with the referrals actually made in Ruta, counted per institution pair). The study's **results
framework** lists indicators with baseline, target and per-round actual values."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.core.fields import EncryptedTextField
from ruta.core.models import TimeStampedModel, TranslatedLabelsMixin
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.instruments.models import InstrumentVersion


class Study(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self) -> str:
        return self.title


class RoundKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    MIDLINE = "midline", _("Midline")
    ENDLINE = "endline", _("Endline")


# The order in which rounds are compared (baseline → midline → endline).
ROUND_ORDER = {kind: position for position, kind in enumerate(RoundKind.values)}


class Round(TimeStampedModel):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("study"))
    kind = models.CharField(_("round"), max_length=10, choices=RoundKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    instruments = models.ManyToManyField(
        InstrumentVersion, blank=True, related_name="baseline_rounds", verbose_name=_("instruments")
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="baseline_rounds", verbose_name=_("territories (departments)")
    )
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="baseline_rounds", verbose_name=_("institutions covered")
    )

    class Meta:
        ordering = ["study", "starts_on", "id"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["study", "kind"], name="baseline_round_kind_unique"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="baseline_round_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.study} — {self.get_kind_display()}"


class Workshop(TimeStampedModel):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("round"))
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="baseline_workshop_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WorkshopSession(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSTATED = "unstated", _("Not stated")


class Participant(models.Model):
    """A person who took part in a workshop on behalf of an institution. The name is personal data:
    encrypted at rest and shown only to those who record or organise the workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    name = EncryptedTextField(_("name"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    position = models.CharField(_("role or position"), max_length=160)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["institution__code", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.workshop_id}:{self.pk}"


class Attendance(models.Model):
    """A participant's sign-in at one session."""

    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="baseline_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.participant_id}"


class GroupOutput(models.Model):
    """What one working group produced during a session."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="outputs")
    group = models.CharField(_("group"), max_length=120)
    text = models.TextField(_("output"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["group", "id"]
        verbose_name = _("group-work output")
        verbose_name_plural = _("group-work outputs")

    def __str__(self) -> str:
        return self.group


class FindingKind(models.TextChoices):
    FINDING = "finding", _("Finding")
    RECOMMENDATION = "recommendation", _("Recommendation")


class Finding(TimeStampedModel):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="findings", verbose_name=_("round"))
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("agreed at the workshop"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("finding or recommendation")
        verbose_name_plural = _("findings and recommendations")

    def __str__(self) -> str:
        return self.text[:60]


class Evidence(models.Model):
    """A finding's link to a record that supports it (submission, workshop output, capacity assessment)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["finding", "content_type", "object_id"], name="baseline_evidence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.finding_id}:{self.content_type_id}:{self.object_id}"


class Pillar(models.TextChoices):
    PREVENTION = "prevention", _("Prevention")
    PROTECTION = "protection", _("Protection")
    PROSECUTION = "prosecution", _("Prosecution")
    PARTNERSHIP = "partnership", _("Partnership")


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    PROGRAMME = "programme", _("Programme")
    PROTOCOL = "protocol", _("Protocol")
    SERVICE = "service", _("Service")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Children and adolescents")
    WOMEN = "women", _("Women and girls")
    MIGRANTS = "migrants", _("Migrants and returnees")
    WORKERS = "workers", _("Workers")
    VICTIMS = "victims", _("Victims and survivors")
    OFFICIALS = "officials", _("Public officials")
    COMMUNITY = "community", _("General public and communities")


class Coverage(models.TextChoices):
    NATIONAL = "national", _("National")
    DEPARTMENTAL = "departmental", _("Some departments")
    LOCAL = "local", _("Local (one municipality)")


class InitiativeStatus(models.TextChoices):
    # Said of an initiative (feminine in Spanish), hence the context.
    PLANNED = "planned", pgettext_lazy("initiative status", "Planned")
    ACTIVE = "active", pgettext_lazy("initiative status", "Active")
    SUSPENDED = "suspended", pgettext_lazy("initiative status", "Suspended")
    ENDED = "ended", pgettext_lazy("initiative status", "Ended")


class Initiative(TimeStampedModel):
    """An initiative, programme, protocol or service an institution runs against trafficking."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("institution")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=InitiativeKind.choices)
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices, db_index=True)
    target_group = models.CharField(_("target group"), max_length=12, choices=TargetGroup.choices)
    coverage = models.CharField(_("coverage"), max_length=12, choices=Coverage.choices)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="baseline_initiatives", verbose_name=_("departments")
    )
    status = models.CharField(_("status"), max_length=10, choices=InitiativeStatus.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, help_text=_("Where this was learnt: document, interview…"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["institution__code", "title", "id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.title


class LinkKind(models.TextChoices):
    AGREEMENT = "agreement", _("Cooperation agreement")
    COORDINATION = "coordination", _("Coordination table or committee")
    REFERRAL_ROUTE = "referral_route", _("Referral route")
    FUNDING = "funding", _("Funding")
    TECHNICAL = "technical", _("Technical assistance or training")


class ActorLink(TimeStampedModel):
    """A declared working relationship between two institutions (optionally through an initiative)."""

    source = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution"))
    target = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("works with"))
    kind = models.CharField(_("kind of link"), max_length=16, choices=LinkKind.choices)
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="links",
        verbose_name=_("through the initiative"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["source__code", "target__code", "id"]
        verbose_name = _("declared link")
        verbose_name_plural = _("declared links")
        constraints = [
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="baseline_link_not_self"),
            models.UniqueConstraint(fields=["source", "target", "kind"], name="baseline_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}→{self.target_id}"


class CapacityDimension(TranslatedLabelsMixin):
    """A row of the capacity grid (protocols, trained staff, data systems…); data, not code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("capacity dimension")
        verbose_name_plural = _("capacity dimensions")

    def __str__(self) -> str:
        return self.label


class CapacityLevel(TranslatedLabelsMixin):
    """One step of a dimension's scale with its descriptor ("1 — no written protocol")."""

    dimension = models.ForeignKey(CapacityDimension, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["dimension", "value"]
        verbose_name = _("capacity level")
        verbose_name_plural = _("capacity levels")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "value"], name="baseline_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.value} — {self.label}"


class CapacityAssessment(TimeStampedModel):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("round"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["round", "institution__code"]
        verbose_name = _("capacity assessment")
        verbose_name_plural = _("capacity assessments")
        constraints = [
            models.UniqueConstraint(fields=["round", "institution"], name="baseline_assessment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.institution}"


class CapacityScore(models.Model):
    assessment = models.ForeignKey(CapacityAssessment, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(CapacityDimension, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="baseline_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.dimension_id}={self.value}"


class ResultIndicator(TimeStampedModel):
    """An indicator of the project's results framework. Its actual value per round is typed with a
    source (``ResultValue``) or, when ``statistic`` names a registered statistics indicator, counted
    from Ruta's own records over the round's period."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("study"))
    title = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline_value = models.DecimalField(pgettext_lazy("results value", "baseline"), max_digits=12, decimal_places=2)
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    statistic = models.CharField(
        _("computed from"),
        max_length=80,
        blank=True,
        help_text=_("A statistics indicator of Ruta; leave empty to type the actual values."),
    )

    class Meta:
        ordering = ["study", "id"]
        verbose_name = _("results indicator")
        verbose_name_plural = _("results indicators")

    def __str__(self) -> str:
        return self.title


class ResultValue(models.Model):
    indicator = models.ForeignKey(ResultIndicator, on_delete=models.CASCADE, related_name="values")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("actual value"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "round"], name="baseline_result_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.round_id}={self.value}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Being built")
    COMPLETE = "complete", _("Ready")


class RoundReport(models.Model):
    """The round's report (PDF and XLSX), built step by step in the background (``report.py``).
    Each step commits with its progress, so the page can show it; the files are offered only once
    the last step has marked the report complete."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    language = models.CharField(max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    content = models.JSONField(default=dict, blank=True)
    xlsx = models.BinaryField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("round report")
        verbose_name_plural = _("round reports")

    def __str__(self) -> str:
        return f"{self.round_id}#{self.pk}"
