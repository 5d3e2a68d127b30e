"""Labour inspection: the workplace registry, risk weights, the protocol as data, visits with their
worker interviews, infractions and evidence, sync conflicts and the hand-over to the referral route."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.core.fields import EncryptedTextField
from ruta.core.models import TimeStampedModel, TranslatedLabelsMixin, translated_label


class SectorLevel(models.TextChoices):
    SECTION = "section", _("ISIC section")
    DIVISION = "division", _("ISIC division")
    CLASS = "class", _("ISIC class")


class Sector(TranslatedLabelsMixin):
    """An ISIC Rev. 4 code with the risk weight the ministry gives it (data, edited in admin)."""

    code = models.CharField(_("ISIC code"), max_length=8, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=SectorLevel.choices)
    section = models.CharField(_("ISIC section"), max_length=1)
    risk_weight = models.PositiveSmallIntegerField(
        _("risk weight"), default=0, help_text=_("Points this sector adds to an establishment's risk score.")
    )
    source = models.TextField(_("source"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["section", "code"]
        verbose_name = _("economic sector")
        verbose_name_plural = _("economic sectors")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class RiskFactor(TranslatedLabelsMixin):
    """One term of the risk score: ``points`` per unit of the factor, counting at most ``cap`` units."""

    SECTOR = "sector"
    EARLIER_FINDINGS = "earlier_findings"
    COMPLAINTS = "complaints"
    AREA_ALERTS = "area_alerts"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    points = models.PositiveSmallIntegerField(_("points per unit"))
    cap = models.PositiveSmallIntegerField(_("units counted at most"), default=10)
    window_days = models.PositiveSmallIntegerField(_("looks back (days)"), default=730)

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")

    def __str__(self) -> str:
        return self.label


class EstablishmentSize(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    MICRO = "micro", _("1–10 workers")
    SMALL = "small", _("11–50 workers")
    MEDIUM = "medium", _("51–250 workers")
    LARGE = "large", _("More than 250 workers")


class Establishment(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    # Lower case, no accents or punctuation, single spaces: what the duplicate check compares.
    name_key = models.CharField(_("normalised name"), max_length=200, db_index=True, editable=False)
    tax_id = models.CharField(_("tax id (RTN)"), max_length=20, blank=True, db_index=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector"))
    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    # Copied from the municipality: the ranked plan filters a department on one index.
    department = models.ForeignKey("geo.Department", on_delete=models.PROTECT, related_name="+", editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=EstablishmentSize.choices, default="unknown")
    workers = models.PositiveIntegerField(_("workers (approx.)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    risk_score = models.PositiveIntegerField(_("risk score"), default=0)
    risk_factors = models.JSONField(_("risk score explained"), default=list, blank=True)
    risk_computed_at = models.DateTimeField(_("risk computed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_synthetic = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["-risk_score", "name"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        indexes = [
            models.Index(fields=["department", "-risk_score", "id"], name="establishment_plan"),
            models.Index(fields=["municipality", "name_key"], name="establishment_dupes"),
        ]

    def __str__(self) -> str:
        return self.name


class InspectionType(models.TextChoices):
    PROGRAMMED = "programmed", _("Programmed")
    COMPLAINT = "complaint", _("Complaint")
    FOLLOW_UP = "follow_up", _("Follow-up")
    JOINT_OPERATION = "joint_operation", _("Joint operation")


class Protocol(models.Model):
    """One version of the procedure for one inspection type. Versions in use are never edited: a
    change makes a new version and visits keep the one they followed."""

    inspection_type = models.CharField(_("inspection type"), max_length=20, choices=InspectionType.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["inspection_type", "-version"]
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        constraints = [
            models.UniqueConstraint(fields=["inspection_type", "version"], name="protocol_type_version"),
            models.UniqueConstraint(
                fields=["inspection_type"], condition=models.Q(is_current=True), name="protocol_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_inspection_type_display()} v{self.version}"


class ProtocolStep(TranslatedLabelsMixin):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="steps")
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    guidance = models.JSONField(_("guidance by language"), default=dict, blank=True)
    required_evidence = models.JSONField(_("required evidence by language"), default=dict, blank=True)
    competency_codes = models.JSONField(_("competencies"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["protocol", "position"]
        verbose_name = _("protocol step")
        verbose_name_plural = _("protocol steps")
        constraints = [models.UniqueConstraint(fields=["protocol", "code"], name="protocol_step_code")]

    def __str__(self) -> str:
        return self.label

    @property
    def guidance_text(self) -> str:
        return translated_label(self.guidance)

    @property
    def required_evidence_text(self) -> str:
        return translated_label(self.required_evidence)


class JointOperation(TimeStampedModel):
    """An operation with police, prosecutor and ERI members; its visits are joint-operation visits."""

    name = models.CharField(_("name"), max_length=200)
    planned_for = models.DateField(_("planned for"))
    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("leading inspectorate")
    )
    partners = models.ManyToManyField(
        "institutions.Institution", related_name="+", blank=True, verbose_name=_("partner institutions")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-planned_for"]
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")

    def __str__(self) -> str:
        return self.name


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class Visit(TimeStampedModel):
    uuid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="visits", verbose_name=_("establishment")
    )
    inspection_type = models.CharField(_("inspection type"), max_length=20, choices=InspectionType.choices)
    status = models.CharField(_("status"), max_length=12, choices=VisitStatus.choices, default="planned")
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_visits",
        verbose_name=_("inspector"),
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("inspectorate")
    )
    # Copied from the establishment for the territorial scope.
    municipality = models.ForeignKey("geo.Municipality", on_delete=models.PROTECT, related_name="+", editable=False)
    department = models.ForeignKey("geo.Department", on_delete=models.PROTECT, related_name="+", editable=False)
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="visits")
    joint_operation = models.ForeignKey(
        JointOperation, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    follow_up_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups")
    follow_up_due_at = models.DateTimeField(_("follow-up due"), null=True, blank=True)
    follow_up_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The date the visit counts on: started, else planned (kept in step by the services).
    visit_date = models.DateField(_("visit date"), null=True, blank=True, db_index=True)
    steps = models.JSONField(_("steps"), default=dict, blank=True)
    observations = models.TextField(_("observations"), blank=True)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)
    danger_note = models.TextField(_("immediate danger: what was seen"), blank=True)
    child_protection_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    protocol_complete = models.BooleanField(_("every required step done"), default=False)
    has_findings = models.BooleanField(_("indicators or immediate danger recorded"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_synthetic = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering = ["-visit_date", "-pk"]
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        indexes = [
            models.Index(fields=["inspector", "status"], name="visit_inspector_status"),
            models.Index(
                fields=["follow_up_due_at"],
                name="visit_follow_up_due",
                condition=models.Q(follow_up_escalated_at__isnull=True, status="planned"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment} {self.visit_date or ''}"


class VisitMember(models.Model):
    """An inspector of the visit's team besides the assigned one."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "user"], name="visit_member_unique")]

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.user_id}"


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class AgeGroup(models.TextChoices):
    CHILD = "child", _("Child")
    ADULT = "adult", _("Adult")
    UNKNOWN = "unknown", _("Unknown")


class Exploitation(models.TextChoices):
    LABOUR = "labour", _("Labour")
    SEXUAL = "sexual", _("Sexual")


class WorkerInterview(TimeStampedModel):
    """A private interview with one worker: anonymous unless the worker consents to be identified."""

    uuid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="interviews")
    held_in_private = models.BooleanField(_("held in private"), default=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices, default="unknown")
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default="unknown")
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    job = models.CharField(_("job"), max_length=200, blank=True)
    consent_to_identify = models.BooleanField(_("consents to be identified"), default=False)
    given_names = EncryptedTextField(_("given names"), blank=True)
    family_names = EncryptedTextField(_("family names"), blank=True)
    forced_labour_indicators = models.JSONField(_("forced-labour indicators"), default=list, blank=True)
    ilo_ec_indicators = models.JSONField(_("ILO–EC indicators"), default=list, blank=True)
    has_indicators = models.BooleanField(_("at least one indicator recorded"), default=False, editable=False)
    exploitation = models.CharField(_("exploitation"), max_length=10, choices=Exploitation.choices, default="labour")
    hazardous_work = models.BooleanField(_("hazardous work"), default=False)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)
    screening = models.ForeignKey(
        "screening.ScreeningRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screening_outcome = models.CharField(_("screening outcome"), max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("worker interview")
        verbose_name_plural = _("worker interviews")

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.pk}"

    @property
    def is_child(self) -> bool:
        if self.age is not None:
            return self.age < 18
        return self.age_group == AgeGroup.CHILD

    @property
    def is_identified(self) -> bool:
        return bool(self.consent_to_identify and (self.given_names or self.family_names))


class LegalBasis(TranslatedLabelsMixin):
    """A legal provision an infraction cites. Edited by the ministry; shipped rows are examples only."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    citation = models.CharField(_("citation"), max_length=300, blank=True)
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("A placeholder to be replaced by the ministry's validated text.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self) -> str:
        return self.label


class Infraction(TimeStampedModel):
    uuid = models.UUIDField(_("id"), default=uuid.uuid4, unique=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="infractions")
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("description"), blank=True)
    remedy = models.TextField(_("remedy ordered"), blank=True)
    remedy_due_at = models.DateTimeField(_("remedy due"), null=True, blank=True)
    remedied_at = models.DateTimeField(_("remedied at"), null=True, blank=True)
    remedy_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("infraction")
        verbose_name_plural = _("infractions")
        indexes = [
            models.Index(
                fields=["remedy_due_at"],
                name="infraction_remedy_due",
                condition=models.Q(remedied_at__isnull=True, remedy_escalated_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.legal_basis} ({self.visit_id})"


class Evidence(models.Model):
    """A photo or document taken during a visit; the content is encrypted in the database."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="evidence")
    interview = models.ForeignKey(
        WorkerInterview, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file_type = models.CharField(_("type"), max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content = EncryptedTextField(_("content"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.uuid}"


class SyncConflict(models.Model):
    """The client's version of a record that lost a race: kept until the inspector resolves it."""

    kind = models.CharField(_("kind"), max_length=20)
    record_id = models.UUIDField(_("record"))
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    base_version = models.PositiveIntegerField(_("version the client edited"))
    client_data = models.JSONField(_("client's version"))
    server_version = models.PositiveIntegerField(_("server's version"))
    server_data = models.JSONField(_("server's version at the time"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["record_id", "resolved_at"], name="sync_conflict_open")]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} v{self.base_version}/v{self.server_version}"


class IndicatorSignal(models.Model):
    """Which community signal (``alerts``) a forced-labour indicator is handed over as."""

    indicator_code = models.CharField(_("forced-labour indicator"), max_length=8, unique=True)
    signal_code = models.CharField(_("community signal"), max_length=8)

    class Meta:
        ordering = ["indicator_code"]
        verbose_name = _("indicator → signal")
        verbose_name_plural = _("indicators → signals")

    def __str__(self) -> str:
        return f"{self.indicator_code} → {self.signal_code}"


class Handover(models.Model):
    """The one alert a visit hands to the referral route (unique per visit: never twice)."""

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="handover")
    alert = models.OneToOneField("alerts.Alert", on_delete=models.PROTECT, related_name="+")
    interviews = models.JSONField(_("interviews that triggered it"), default=list)
    immediate_danger = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self) -> str:
        return f"{self.visit_id} → {self.alert_id}"
