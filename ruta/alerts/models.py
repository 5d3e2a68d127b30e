"""Early warning: alerts from every channel, their persons, timeline, deadlines and escalations.

The configuration (community signals, priority levels with their deadlines, priority rules) is data
that administrators edit in the Django admin; the defaults of DESIGN §3 are loaded by a migration."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ruta.core.fields import EncryptedTextField
from ruta.core.models import TimeStampedModel, TranslatedLabelsMixin
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution
from ruta.persons.models import AgeGroup, Sex

ALERT_REFERENCE_PREFIX = "A"
NARRATIVE_MAX_LENGTH = 5000
CONTACT_MAX_LENGTH = 200
MAX_PERSONS = 30


class SignalGroup(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment")
    CONTROL = "control", _("Control")
    EXPLOITATION = "exploitation", _("Exploitation")
    NONE = "none", _("No group")


class CommunitySignal(TranslatedLabelsMixin):
    """One of the fixed community signals S01–S15; labels and flags are editable, codes are not."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    group = models.CharField(_("group"), max_length=16, choices=SignalGroup.choices)
    is_danger = models.BooleanField(_("immediate danger"), default=False)
    is_active = models.BooleanField(_("shown on the forms"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("community signal")
        verbose_name_plural = _("community signals")

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class Priority(models.TextChoices):
    P1 = "P1", _("P1 immediate")
    P2 = "P2", _("P2 high")
    P3 = "P3", _("P3 medium")
    P4 = "P4", _("P4 low")


class PriorityLevel(TranslatedLabelsMixin):
    """A priority and its deadlines (editable configuration)."""

    code = models.CharField(_("priority"), max_length=2, choices=Priority.choices, unique=True)
    acknowledge_within = models.DurationField(_("acknowledge within"))
    first_response_within = models.DurationField(_("first response within"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("priority level and deadlines")
        verbose_name_plural = _("priority levels and deadlines")

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class PriorityRule(TranslatedLabelsMixin):
    """One way to reach a priority: every condition set on the row must hold (a conjunction).

    The alert takes the highest priority among the matching rules; with no match it is P4."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    requires_happening_now = models.BooleanField(_("only if happening now"), default=False)
    requires_child = models.BooleanField(_("only if a child is involved"), default=False)
    requires_danger_signal = models.BooleanField(_("only with a danger signal"), default=False)
    any_of_signals = models.JSONField(_("at least one of these signal codes"), default=list, blank=True)
    min_signals = models.PositiveSmallIntegerField(_("at least this many signals"), default=0)
    min_groups = models.PositiveSmallIntegerField(_("signals from at least this many groups"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["priority", "order", "code"]
        verbose_name = _("priority rule")
        verbose_name_plural = _("priority rules")

    def __str__(self) -> str:
        return f"{self.priority}: {self.label}"


class Channel(models.TextChoices):
    PUBLIC_WEB = "public_web", _("Public web form")
    STAFF = "staff", _("Staff intake")
    HOTLINE = "hotline", _("Hotline 145")
    SMS = "sms", _("SMS / messaging (RapidPro)")
    INSPECTION = "inspection", _("Labour inspection")
    API = "api", _("API")


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_VERIFICATION = "in_verification", _("In verification")
    CASE_OPENED = "case_opened", _("Case opened")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
    CLOSED_UNFOUNDED = "closed_unfounded", _("Closed: unfounded")
    CLOSED_INSUFFICIENT = "closed_insufficient_information", _("Closed: not enough information")
    MERGED = "merged", _("Merged into another alert")


OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.IN_VERIFICATION)
OUTCOME_STATUSES = tuple(s for s in AlertStatus if s not in OPEN_STATUSES)


class PublicStatus(models.TextChoices):
    """What a reporter may learn from a tracking code: never whether a case was opened."""

    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("Being reviewed")
    ATTENDED = "attended", _("Attended by the competent institutions")
    CLOSED = "closed", _("Closed")


PUBLIC_STATUS = {
    AlertStatus.NEW: PublicStatus.RECEIVED,
    AlertStatus.ACKNOWLEDGED: PublicStatus.IN_REVIEW,
    AlertStatus.IN_VERIFICATION: PublicStatus.IN_REVIEW,
    AlertStatus.CASE_OPENED: PublicStatus.ATTENDED,
    AlertStatus.REFERRED_ELSEWHERE: PublicStatus.ATTENDED,
    AlertStatus.CLOSED_UNFOUNDED: PublicStatus.CLOSED,
    AlertStatus.CLOSED_INSUFFICIENT: PublicStatus.CLOSED,
    AlertStatus.MERGED: PublicStatus.IN_REVIEW,  # replaced by the surviving alert's status
}


class ReferralReason(models.TextChoices):
    LABOUR_VIOLATION = "labour_violation", _("Labour rights violation")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic or gender-based violence")
    MIGRATION = "migration", _("Migration or smuggling")
    OTHER = "other", _("Other")


class Alert(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=40, choices=AlertStatus.choices, default=AlertStatus.NEW)
    is_open = models.BooleanField(default=True, editable=False)
    public_status_changed_at = models.DateTimeField()
    received_at = models.DateTimeField(_("received at"))
    # Foreign keys that lead a composite index below get no index of their own: every index is
    # written by each of the thousands of submissions an hour.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
        db_index=False,
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
        db_index=False,
    )
    happening_now = models.BooleanField(_("happening now"), default=False)
    signal_codes = models.JSONField(_("signals"), default=list, blank=True)
    narrative = EncryptedTextField(_("what happened"), blank=True)
    reporter_contact = EncryptedTextField(_("reporter contact"), blank=True)
    child_involved = models.BooleanField(_("a child is involved"), default=False)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    priority_rationale = models.JSONField(_("priority rationale"), default=dict, blank=True)
    palermo_reading = models.JSONField(_("preliminary Palermo reading"), default=dict, blank=True)
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"))
    first_response_due_at = models.DateTimeField(_("first response by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    acknowledge_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_alerts",
        verbose_name=_("assigned responder"),
        db_index=False,
    )
    assigned_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_alerts",
        verbose_name=_("assigned institution"),
        db_index=False,
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("being handled by"),
    )
    locked_until = models.DateTimeField(_("handled until"), null=True, blank=True)
    referred_to = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("referred to")
    )
    referral_reason = models.CharField(_("referral reason"), max_length=24, choices=ReferralReason.choices, blank=True)
    outcome_note = EncryptedTextField(_("outcome note"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_alerts"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    reporting_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False, editable=False)
    # The deadline engine's rows (``ruta.deadlines``); the two *_escalated_at flags above are set with
    # them so the per-minute scan of this busy table reads the partial indexes below.
    escalations = GenericRelation("deadlines.Escalation", related_query_name="alert")

    class Meta:
        ordering = ["priority", "acknowledge_due_at", "id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            # The triage queue's first page: open alerts by priority then deadline (national and by department).
            models.Index(fields=["is_open", "priority", "acknowledge_due_at", "id"], name="alert_queue_idx"),
            models.Index(
                fields=["department", "is_open", "priority", "acknowledge_due_at", "id"], name="alert_queue_dept_idx"
            ),
            models.Index(fields=["status", "priority", "acknowledge_due_at"], name="alert_status_idx"),
            # The escalation scan: open alerts past a deadline that nobody escalated yet.
            models.Index(
                fields=["acknowledge_due_at"],
                name="alert_ack_overdue_idx",
                condition=Q(is_open=True, acknowledged_at__isnull=True, acknowledge_escalated_at__isnull=True),
            ),
            models.Index(
                fields=["first_response_due_at"],
                name="alert_resp_overdue_idx",
                condition=Q(is_open=True, first_response_at__isnull=True, first_response_escalated_at__isnull=True),
            ),
            models.Index(fields=["municipality", "received_at"], name="alert_dupes_idx"),
            models.Index(fields=["assigned_to", "is_open"], name="alert_assignee_idx"),
            models.Index(fields=["assigned_institution", "is_open"], name="alert_institution_idx"),
            models.Index(fields=["created_by", "is_open"], name="alert_creator_idx"),
            # The statistics: what the monthly rollups do not cover (this month, cut months) is counted
            # from the records by date; "acknowledgement due" counts the unacknowledged ones each time.
            models.Index(
                fields=["received_at"],
                name="alert_received_idx",
                # Everything the alerts' indicators read, so counting a month needs no table page.
                include=[
                    "department",
                    "channel",
                    "priority",
                    "is_synthetic",
                    "acknowledged_at",
                    "acknowledge_due_at",
                    "first_response_at",
                ],
            ),
            models.Index(
                fields=["received_at"],
                name="alert_unacknowledged_idx",
                condition=Q(acknowledged_at__isnull=True),
                include=["department", "channel", "priority", "is_synthetic", "acknowledge_due_at"],
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def public_status(self) -> str:
        return PUBLIC_STATUS[AlertStatus(self.status)]

    def lock_holder(self, now: object) -> object | None:
        if self.locked_by_id and self.locked_until and self.locked_until > now:  # type: ignore[operator]
            return self.locked_by
        return None

    def acknowledge_overdue(self, now: object) -> bool:
        return self.is_open and self.acknowledged_at is None and self.acknowledge_due_at < now  # type: ignore[operator]

    def first_response_overdue(self, now: object) -> bool:
        return (
            self.is_open and self.first_response_at is None and self.first_response_due_at < now  # type: ignore[operator]
        )


class AlertPerson(models.Model):
    """A person the alert is about, as the reporter described them: no identity."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="persons")
    position = models.PositiveSmallIntegerField(default=0)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["alert", "position", "id"]
        verbose_name = _("person in an alert")
        verbose_name_plural = _("persons in alerts")

    def __str__(self) -> str:
        return f"{self.alert_id}#{self.position}"


class AlertEventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    TAKEN = "taken", _("Taken in hand")
    RELEASED = "released", _("Released")
    ASSIGNED = "assigned", _("Assigned")
    VERIFICATION_NOTE = "verification_note", _("Verification note")
    STATUS_CHANGED = "status_changed", _("Status changed")
    OUTCOME = "outcome", _("Outcome recorded")
    MERGED_IN = "merged_in", _("Duplicate merged into this alert")
    ESCALATED = "escalated", _("Deadline missed: escalated")
    CONTACT_REVEALED = "contact_revealed", _("Contact revealed")


class AlertEvent(models.Model):
    """The alert's timeline: who did what and when, with the old and new values."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=24, choices=AlertEventKind.choices)
    old = models.JSONField(default=dict, blank=True)
    new = models.JSONField(default=dict, blank=True)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["alert", "at", "id"]
        verbose_name = _("alert event")
        verbose_name_plural = _("alert events")

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class AlertToken(models.Model):
    """Keyed tokens of an alert's narrative: duplicate suggestions without decrypting narratives."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="tokens", db_index=False)  # unique below
    token = models.CharField(max_length=24)

    class Meta:
        indexes = [models.Index(fields=["token", "alert"], name="alert_token_idx")]
        constraints = [models.UniqueConstraint(fields=["alert", "token"], name="alert_token_unique")]

    def __str__(self) -> str:
        return self.token


class Deadline(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    FIRST_RESPONSE = "first_response", _("First response")


class CallerType(models.TextChoices):
    VICTIM = "victim", _("The person affected")
    FAMILY = "family", _("Family member or friend")
    WITNESS = "witness", _("Witness or neighbour")
    INSTITUTION = "institution", _("Institution or organisation")
    ANONYMOUS = "anonymous", _("Anonymous")
    OTHER = "other", _("Other")


class HotlineCall(models.Model):
    """A call to line 145. The number is kept encrypted; repeat callers are linked by a keyed hash."""

    call_started_at = models.DateTimeField(_("call started at"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    caller_type = models.CharField(_("caller"), max_length=16, choices=CallerType.choices)
    caller_phone = EncryptedTextField(_("caller's number"), blank=True)
    caller_token = models.CharField(max_length=24, blank=True, db_index=True)
    alert = models.OneToOneField(Alert, on_delete=models.PROTECT, null=True, blank=True, related_name="hotline_call")
    topic_note = models.CharField(_("topic (calls that are not alerts)"), max_length=200, blank=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-call_started_at", "-id"]
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")

    def __str__(self) -> str:
        return f"{self.call_started_at:%Y-%m-%d %H:%M}"


class MessagingChannel(models.Model):
    """An SMS / WhatsApp flow (RapidPro) allowed to post alerts; its secret is stored only hashed."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    secret_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("messaging channel")
        verbose_name_plural = _("messaging channels")

    def __str__(self) -> str:
        return self.name
