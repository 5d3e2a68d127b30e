"""Cases: the work with one or more presumed victims, from opening to closure and follow-up.

This module starts with the spine other apps rely on (the case, its team, consent per purpose);
the case-management issue grows it with assessments, plans, services and closure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.core.models import TimeStampedModel
from ruta.institutions.models import Institution
from ruta.persons.models import Person

CASE_REFERENCE_PREFIX = "C"


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
    is_synthetic = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")

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
