"""Cases: the work with one or more presumed victims, from opening to closure and follow-up.

This module starts with the spine other apps rely on (the case, its team, consent per purpose);
the case-management issue grows it with assessments, plans, services and closure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.core.fields import EncryptedTextField
from ruta.core.models import TimeStampedModel, TranslatedLabelsMixin
from ruta.institutions.models import Institution, ServiceCategory
from ruta.persons.models import Person

CASE_REFERENCE_PREFIX = "C"


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", _("Commercial sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    DOMESTIC_SERVITUDE = "domestic_servitude", _("Domestic servitude")
    FORCED_BEGGING = "forced_begging", _("Forced begging")
    FORCED_CRIME = "forced_crime", _("Forced criminal activity")
    FORCED_MARRIAGE = "forced_marriage", _("Forced or servile marriage")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known yet")


class Stage(models.TextChoices):
    """Where a case stands. Derived from what has been recorded (``ruta.cases.stages``), never typed."""

    IDENTIFICATION = "identification", _("Presumed victim: awaiting identification")
    CONSENT = "consent", _("Identification recorded: awaiting consent")
    ASSESSMENT = "assessment", _("Needs assessment")
    PLANNING = "planning", _("Care and protection plan")
    SERVICES = "services", _("Services and referrals")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSURE_REQUESTED = "closure_requested", _("Closure awaiting approval")
    CLOSED = "closed", pgettext_lazy("case stage", "Closed")  # "Closed" alone is an alert's (feminine in es)


class Case(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    opened_at = models.DateTimeField(_("opened at"))
    lead_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead institution")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("case owner")
    )
    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("municipality")
    )
    persons: models.ManyToManyField[Person, CasePerson] = models.ManyToManyField(
        Person, through="CasePerson", related_name="cases"
    )
    exploitation = models.CharField(
        _("form of exploitation"), max_length=24, choices=ExploitationType.choices, default=ExploitationType.UNKNOWN
    )
    narrative = EncryptedTextField(_("case narrative"), blank=True)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.IDENTIFICATION, editable=False, db_index=True
    )
    has_child = models.BooleanField(_("involves a child"), default=False, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    is_synthetic = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # The list walks cases newest first and stops at a page of visible ones, instead of joining
        # and sorting every case the scope reaches (280 → 93 ms for an ERI supervisor at 100k cases).
        indexes = [models.Index(fields=["-opened_at", "-id"], name="case_opened_idx")]

    def __str__(self) -> str:
        return self.reference


class CasePersonRole(models.TextChoices):
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
    GUARDIAN = "guardian", _("Guardian or representative")
    RELATIVE = "relative", _("Relative")
    WITNESS = "witness", _("Witness")
    SUSPECT = "suspect", _("Suspect")


class CasePerson(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("role in the case"), max_length=20, choices=CasePersonRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="case_person_role_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}:{self.role}"


class CaseMember(TimeStampedModel):
    """The case team: who works the case, from which institution. Team scope means membership here."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_member_unique")]
        # Institution scope: "cases an active member of my institution works on", read index-only.
        indexes = [
            models.Index(
                fields=["institution", "case"], condition=models.Q(is_active=True), name="case_member_institution_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.user_id}"


class ConsentPurpose(models.TextChoices):
    CASE_WORK = "case_work", _("Case work")
    REFERRAL = "referral", _("Referral")
    STATISTICS = "statistics", _("Statistics")


class Consent(TimeStampedModel):
    """Consent given (or refused) by a person for one purpose; a referral consent names its referral.

    A child's consent is never enough on its own: ``given_with`` records the guardian or the
    child-protection authority that consented with them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    referral_id = models.BigIntegerField(null=True, blank=True)
    granted = models.BooleanField(_("consent given"))
    given_with = models.CharField(_("given with (guardian or authority)"), max_length=200, blank=True)
    given_with_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("guardian")
    )
    given_with_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("child-protection authority"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}:{self.purpose}"


class CaseEvent(models.Model):
    """The case timeline: every step on a case (including its referrals), who did it and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(_("event"), max_length=48)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


# --- Identification, reflection period, child protection ----------------------------------------


class IdentificationOutcome(models.TextChoices):
    IDENTIFIED = "identified", _("Identified as a victim of trafficking")
    NOT_IDENTIFIED = "not_identified", _("Not identified as a victim of trafficking")


class IdentificationDecision(TimeStampedModel):
    """The competent institution's decision on a presumed victim, its basis and screening record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identifications")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("decision"), max_length=16, choices=IdentificationOutcome.choices)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("deciding institution")
    )
    decided_on = models.DateField(_("decided on"))
    basis = EncryptedTextField(_("basis of the decision"))
    screening_record_id = models.BigIntegerField(_("formal screening record"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decided_on", "id"]
        # The statistics count decisions by the day they were taken (the current month from the records).
        indexes = [models.Index(fields=["decided_on"], name="identification_decided_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}:{self.outcome}"


class ReflectionPeriod(TimeStampedModel):
    """The reflection and recovery period granted to a presumed victim (start and end)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reflection_periods")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="reflection_period_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}"


class ChildProtectionNotification(TimeStampedModel):
    """The child-protection authority (SENAF) was told about a case involving a child."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="child_notifications")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("child-protection authority")
    )
    notified_at = models.DateTimeField(_("notified at"))
    means = models.CharField(_("how it was notified"), max_length=120)
    authority_reference = models.CharField(_("authority's file number"), max_length=60, blank=True)
    authority_represents = models.BooleanField(
        _("the authority acts as the child's legal representative"),
        default=False,
        help_text=_("Tick when no guardian can represent the child (unaccompanied or the guardian is involved)."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.institution_id}"


class BestInterestsPurpose(models.TextChoices):
    CLOSURE = "closure", _("Closure of the case")
    RETURN = "return", _("Return (to the family, community or country)")
    REINTEGRATION = "reintegration", _("Reintegration")
    OTHER = "other", _("Other decision")


class BestInterestsDecision(TimeStampedModel):
    """A recorded best-interests determination for a child, needed before closure, return or reintegration."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="best_interests_decisions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("decision about"), max_length=16, choices=BestInterestsPurpose.choices)
    decided_on = models.DateField(_("decided on"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("deciding institution")
    )
    decision = EncryptedTextField(_("decision and reasons"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}:{self.purpose}"


# --- Care: needs, plan, services, follow-up -------------------------------------------------------


class NeedArea(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    LEGAL = "legal", _("Legal")
    SHELTER = "shelter", _("Shelter")
    EDUCATION = "education", _("Education")
    ECONOMIC = "economic", _("Economic")
    FAMILY = "family", _("Family")
    MIGRATION = "migration", _("Migration")


class NeedLevel(models.TextChoices):
    NONE = "none", _("No need")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class NeedAssessment(TimeStampedModel):
    """One area of the needs assessment. Without a level it is still to be done by ``due_on``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    area = models.CharField(_("area"), max_length=16, choices=NeedArea.choices)
    level = models.CharField(_("level of need"), max_length=8, choices=NeedLevel.choices, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "area"], name="need_assessment_area_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.area}"


class CarePlan(TimeStampedModel):
    """The care and protection plan. Its author submits it; a supervisor who is not the author approves."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    goals = EncryptedTextField(_("goals"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_comment = models.CharField(_("returned for changes because"), max_length=500, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"plan {self.pk} of {self.case_id}"

    @property
    def status(self) -> str:
        if self.approved_at:
            return str(_("Approved"))
        if self.submitted_at:
            return str(_("Awaiting approval"))
        return str(_("Draft"))


class CarePlanItem(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("service"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible institution")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.service_id}"


class ServiceDelivery(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services_delivered")
    service = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("service"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("provided by")
    )
    delivered_on = models.DateField(_("delivered on"))
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["delivered_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.service_id}"


class FollowUp(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("due date"))
    purpose = models.CharField(
        _("purpose"), max_length=200, help_text=_("Shown in work lists: no names or personal details.")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned to")
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.due_on}"


# --- Closure and reopening ------------------------------------------------------------------------


class ClosureReason(TranslatedLabelsMixin):
    """Catalogue of closure reasons (administrators translate and extend it)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("closure reason")
        verbose_name_plural = _("closure reasons")

    def __str__(self) -> str:
        return self.label


class CaseClosure(TimeStampedModel):
    """A request to close a case; a supervisor who did not request it approves or rejects it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    reason = models.ForeignKey(ClosureReason, on_delete=models.PROTECT, related_name="+", verbose_name=_("reason"))
    closed_on = models.DateField(_("closure date"))
    notes = EncryptedTextField(_("notes"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)
    decision_comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.reason_id}"


class CaseReopening(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reopenings")
    reason = EncryptedTextField(_("reason for reopening"))
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.created_at}"
