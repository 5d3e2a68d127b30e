"""Local early-warning networks: the committees of a municipality (or a group of municipalities),
their members and meetings, the threats they register, the risk picture of their territory and the
bulletins they send to their members.

A threat is a place or a pattern (a venue, a route, a recruitment advert), never a person: no victim's
identity is stored here. Members' contacts are personal data, encrypted per column like persons'."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ruta.alerts.models import Alert
from ruta.core.fields import EncryptedTextField
from ruta.core.models import TimeStampedModel, TranslatedLabelsMixin
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution

THREAT_REFERENCE_PREFIX = "AM"  # amenaza
BULLETIN_REFERENCE_PREFIX = "BO"  # boletín


class Network(TimeStampedModel):
    """A local network or committee; ``municipality`` is its seat, ``municipalities`` all it covers
    (the seat included). Its territory decides who reaches it (``access_rules``)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("seat municipality")
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", editable=False)
    municipalities = models.ManyToManyField(Municipality, related_name="networks", verbose_name=_("covers"))
    is_active = models.BooleanField(_("active"), default=True)
    is_synthetic = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["department__code", "name"]
        verbose_name = _("local network")
        verbose_name_plural = _("local networks")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A member institution or organisation (a registered institution, or a local group by name)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=160)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("institution")
    )

    class Meta:
        ordering = ["network", "name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    FOCAL_POINT = "focal_point", _("Focal point")
    MEMBER = "member", _("Member")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Member(TimeStampedModel):
    """A person in the network. Name and contacts are encrypted; ``phone_token`` (a keyed hash of
    the normalised number) finds a member from an inbound message without decrypting anyone."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="network_members"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    name = EncryptedTextField(_("name"))
    role = models.CharField(_("role in the network"), max_length=16, choices=MemberRole.choices)
    email = EncryptedTextField(_("e-mail"), blank=True)
    phone = EncryptedTextField(_("mobile number"), blank=True)
    phone_token = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    channel = models.CharField(_("contact channel"), max_length=10, choices=ContactChannel.choices)
    consent_to_contact = models.BooleanField(_("agrees to be contacted"), default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["network", "role", "id"]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")

    def __str__(self) -> str:
        return f"{self.network_id}#{self.pk}"

    @property
    def reachable(self) -> bool:
        return self.is_active and self.consent_to_contact and self.opted_out_at is None and bool(self.address)

    @property
    def address(self) -> str:
        return self.email if self.channel == ContactChannel.EMAIL else self.phone


class Meeting(TimeStampedModel):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=160, blank=True)
    attendees = models.PositiveSmallIntegerField(_("attendees"), default=0)
    minutes = EncryptedTextField(_("minutes"), blank=True)
    agreements = EncryptedTextField(_("agreements"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")

    def __str__(self) -> str:
        return f"{self.network_id} {self.held_on}"


class FollowUpAction(models.Model):
    """An action agreed in a meeting, on the deadline engine: missed, it escalates once to the
    network's coordinator."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="actions", editable=False)
    description = models.CharField(_("action"), max_length=300)
    responsible = models.CharField(_("responsible organisation"), max_length=160, blank=True)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [
            models.Index(
                fields=["due_at"],
                name="network_action_overdue_idx",
                condition=Q(done_at__isnull=True, escalated_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.description


class ThreatType(TranslatedLabelsMixin):
    """A kind of place or pattern (venue, farm, route…): data, labels per language."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("shown on the forms"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("threat type")
        verbose_name_plural = _("threat types")

    def __str__(self) -> str:
        return self.label


class ThreatStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified")
    DISMISSED = "dismissed", _("Dismissed")
    CLOSED = "closed", _("Closed")


class Threat(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, null=True, blank=True, related_name="threats", verbose_name=_("network")
    )
    threat_type = models.ForeignKey(ThreatType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type"))
    title = models.CharField(_("short name of the place or pattern"), max_length=160)
    description = EncryptedTextField(_("what was seen"))
    evidence = EncryptedTextField(_("evidence"), blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ThreatStatus.choices, default=ThreatStatus.REPORTED)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("verified or dismissed at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The reporter confirmed that what the name heuristic flagged is not a person's name.
    name_warning_confirmed = models.BooleanField(default=False, editable=False)
    alerts = models.ManyToManyField(Alert, blank=True, related_name="+", verbose_name=_("alerts that mention it"))
    visits = models.ManyToManyField(
        "inspections.Visit", blank=True, related_name="+", verbose_name=_("inspection visits that mention it")
    )
    is_synthetic = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("threat")
        verbose_name_plural = _("threats")
        indexes = [models.Index(fields=["municipality", "status", "decided_at"], name="threat_risk_idx")]

    def __str__(self) -> str:
        return self.reference


class RiskFactor(TranslatedLabelsMixin):
    """One factor of the risk picture and its weight (data administrators edit).

    ``source`` says what feeds it: a count over the period (alerts, verified threats, inspection
    findings) or a vulnerability indicator imported per municipality. A factor contributes
    ``weight × min(value / saturation, 1)`` points."""

    class Source(models.TextChoices):
        ALERTS = "alerts", _("Alerts received in the municipality")
        THREATS = "threats", _("Verified threats")
        INSPECTIONS = "inspections", _("Inspection visits with trafficking or forced-labour findings")
        VULNERABILITY = "vulnerability", _("Vulnerability indicator (imported data)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    weight = models.DecimalField(_("weight (points)"), max_digits=5, decimal_places=2)
    saturation = models.DecimalField(
        _("value that gives the full weight"), max_digits=9, decimal_places=2, help_text=_("A count, or a percentage.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")

    def __str__(self) -> str:
        return self.label


class VulnerabilityValue(models.Model):
    """A vulnerability indicator's value for one municipality and year, with where it comes from."""

    factor = models.ForeignKey(
        RiskFactor,
        on_delete=models.CASCADE,
        related_name="values",
        limit_choices_to={"source": RiskFactor.Source.VULNERABILITY},
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=9, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    is_illustrative = models.BooleanField(_("illustrative data, not official figures"), default=False)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["factor", "municipality", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["factor", "municipality", "year"], name="vulnerability_once_per_year")
        ]
        verbose_name = _("vulnerability value")
        verbose_name_plural = _("vulnerability values")

    def __str__(self) -> str:
        return f"{self.factor_id} {self.municipality_id} {self.year}"


class BulletinKind(models.TextChoices):
    RECRUITMENT = "recruitment_pattern", _("Warning about a recruitment pattern")
    MISSING_CHILD = "missing_child", _("Missing child")
    VENUE = "venue", _("Warning about a venue")
    OTHER = "other", _("Other warning")


class Bulletin(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="bulletins")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=BulletinKind.choices)
    text = EncryptedTextField(_("message"))
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    threat = models.ForeignKey(Threat, on_delete=models.PROTECT, null=True, blank=True, related_name="bulletins")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))
    is_synthetic = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")

    def __str__(self) -> str:
        return self.reference


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    NOT_DELIVERED = "not_delivered", _("Not delivered")
    UNCONFIRMED = "unconfirmed", _("Not confirmed (not sent again)")


class Delivery(models.Model):
    """One member's copy of a bulletin, created before anything is sent. A sender claims it with a
    conditional UPDATE that commits before the message leaves, so nothing is ever sent twice."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    state = models.CharField(_("delivery"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["bulletin", "id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "member"], name="delivery_once_per_member")]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx"),
        ]
        verbose_name = _("bulletin delivery")
        verbose_name_plural = _("bulletin deliveries")

    def __str__(self) -> str:
        return f"{self.bulletin_id}→{self.member_id}"


class RapidProChannel(models.Model):
    """Where SMS or WhatsApp bulletins go: a RapidPro workspace's broadcast API and its token
    (encrypted). Without an active row for a channel, members on it are reported not delivered."""

    channel = models.CharField(
        _("channel"),
        max_length=10,
        unique=True,
        choices=[
            (ContactChannel.SMS.value, ContactChannel.SMS.label),
            (ContactChannel.WHATSAPP.value, ContactChannel.WHATSAPP.label),
        ],
    )
    base_url = models.URLField(_("RapidPro address"), help_text=_("For example https://rapidpro.example.org"))
    token = EncryptedTextField(_("API token"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("RapidPro broadcast channel")
        verbose_name_plural = _("RapidPro broadcast channels")

    def __str__(self) -> str:
        return f"{self.channel} → {self.base_url}"


class P1Escalation(models.Model):
    """Marks that a P1 alert was escalated to one network's focal points: the unique pair makes the
    periodic scan exactly-once, whichever worker runs it and however often."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="p1_escalations")
    escalated_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "network"], name="p1_escalation_once")]

    def __str__(self) -> str:
        return f"{self.alert_id}→{self.network_id}"
