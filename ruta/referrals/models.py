"""Referrals: a case team sends one or more of its persons to another institution for a service.

A referral shares only the sections the sender chose (``shared_sections``) with the receiving
institution. Free text about a person (reason, decline reason, outcome, notes) is encrypted at rest.
``ReferralEvent`` is the referral's own history; the case timeline gets a ``CaseEvent`` for each step."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.cases.models import Case
from ruta.core.fields import EncryptedTextField
from ruta.core.models import TimeStampedModel
from ruta.institutions.models import Institution, InstitutionService
from ruta.persons.models import Person

REFERRAL_REFERENCE_PREFIX = "R"


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    HIGH = "high", pgettext_lazy("urgency", "High")  # "High" alone is a level of need (masculine in es)
    NORMAL = "normal", _("Normal")


# Defaults when no configuration row exists: (accept within, complete within).
DEFAULT_DEADLINES: dict[str, tuple[timedelta, timedelta]] = {
    Urgency.EMERGENCY: (timedelta(hours=4), timedelta(days=3)),
    Urgency.HIGH: (timedelta(hours=24), timedelta(days=14)),
    Urgency.NORMAL: (timedelta(hours=72), timedelta(days=30)),
}


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent, awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    REVOKED = "revoked", _("Revoked")


OPEN_STATUSES = (ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class SharedSection(models.TextChoices):
    BASIC = "basic", _("Basic data (pseudonymous)")
    IDENTITY = "identity", _("Identity (names, documents, contacts)")
    NEEDS = "needs_assessment", _("Needs assessment")
    PLAN = "plan", _("Care and protection plan")
    SCREENING = "screening", _("Screening result")
    LEGAL = "legal", _("Legal process")


class Deadline(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance")
    COMPLETION = "completion", _("Completion")


class ReferralDeadlineRule(TimeStampedModel):
    """Configurable deadlines per urgency (Django admin): answer within, complete within (from sending)."""

    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, unique=True)
    accept_within = models.DurationField(_("accept or decline within"))
    complete_within = models.DurationField(_("complete within (from sending)"))

    class Meta:
        ordering = ["urgency"]
        verbose_name = _("referral deadline")
        verbose_name_plural = _("referral deadlines")

    def __str__(self) -> str:
        return str(self.get_urgency_display())


class Referral(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case"))
    from_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("sending institution")
    )
    to_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("receiving institution"),
    )
    service = models.ForeignKey(
        InstitutionService, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    persons: models.ManyToManyField[Person, ReferralPerson] = models.ManyToManyField(
        Person, through="ReferralPerson", related_name="referrals"
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    reason = EncryptedTextField(_("reason and notes"), blank=True)
    shared_sections = models.JSONField(_("shared sections"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    accept_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    complete_due_at = models.DateTimeField(_("completion due"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = EncryptedTextField(_("reason for revoking"), blank=True)
    consent_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_override_at = models.DateTimeField(_("consent override at"), null=True, blank=True)
    consent_override_reason = EncryptedTextField(_("reason for sending without consent"), blank=True)
    version = models.PositiveIntegerField(default=1)
    # Missed deadlines, escalated once each by the platform's deadline engine (``ruta.deadlines``).
    escalations = GenericRelation("deadlines.Escalation", related_query_name="referral")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_institution", "status"], name="referral_to_status"),
            models.Index(fields=["from_institution", "status"], name="referral_from_status"),
            # "Answer due" counts the unanswered ones past their deadline from the records each time.
            models.Index(
                fields=["sent_at"], name="referral_unanswered_idx", condition=models.Q(answered_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def current_due_at(self):  # type: ignore[no-untyped-def]
        """The deadline that matters now: the answer while sent, completion once accepted."""
        if self.status == ReferralStatus.SENT:
            return self.accept_due_at
        if self.status == ReferralStatus.ACCEPTED:
            return self.complete_due_at
        return None

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        due = self.current_due_at
        return due is not None and due < timezone.now()

    @property
    def shared_section_labels(self) -> list[str]:
        labels = dict(SharedSection.choices)
        return [str(labels[code]) for code in SharedSection.values if code in self.shared_sections]

    def shares(self, section: str) -> bool:
        return section in self.shared_sections


class ReferralPerson(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="referred")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referral_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "person"], name="referral_person_unique")]

    def __str__(self) -> str:
        return f"{self.referral_id}:{self.person_id}"


class ReferralEvent(models.Model):
    """The referral's own history: who moved it from which status to which, and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(_("event"), max_length=40)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}:{self.kind}"


class MilestoneKind(models.TextChoices):
    COMPLAINT_FILED = "complaint_filed", _("Complaint filed")
    INVESTIGATION_OPENED = "investigation_opened", _("Investigation opened")
    CHARGES_FILED = "charges_filed", _("Charges filed")
    TRIAL = "trial", _("Trial")
    SENTENCE = "sentence", _("Sentence")


class LegalMilestone(models.Model):
    """A step of the criminal process on a case, recorded by the police or prosecutor it was referred to."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_milestones")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=24, choices=MilestoneKind.choices)
    occurred_on = models.DateField(_("date"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("legal-process milestone")
        verbose_name_plural = _("legal-process milestones")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"
