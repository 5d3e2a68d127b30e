"""Persons: presumed victims and the people around them (guardians, relatives, witnesses, suspects).

``Person`` holds what statistics and the pseudonymous views need; everything that identifies a
person lives in ``PersonIdentity``, encrypted at rest, and is shown only to the case team (and those
it shares with). ``PersonSearchToken`` rows are keyed hashes that let duplicate search and identity
lookup work without plaintext in the database."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.core.fields import EncryptedJSONField, EncryptedTextField
from ruta.core.models import TimeStampedModel
from ruta.institutions.models import Institution

PERSON_REFERENCE_PREFIX = "V"


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    UNKNOWN = "unknown", _("Unknown")


class AgeGroup(models.TextChoices):
    CHILD = "child", _("Child (under 18)")
    ADULT = "adult", _("Adult")
    UNKNOWN = "unknown", _("Unknown")


class MigrationStatus(models.TextChoices):
    NATIONAL = "national", _("National")
    REGULAR = "regular", _("Foreigner, regular status")
    IRREGULAR = "irregular", _("Foreigner, irregular status")
    RETURNED = "returned", _("Returned migrant")
    REFUGEE = "refugee", _("Asylum seeker or refugee")
    UNKNOWN = "unknown", _("Unknown")


class Person(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age_years = models.PositiveSmallIntegerField(_("age (years)"), null=True, blank=True)
    age_recorded_on = models.DateField(_("age recorded on"), null=True, blank=True)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    presumed_child = models.BooleanField(
        _("presumed a child"),
        default=False,
        help_text=_("When age is uncertain the person is presumed a child until proven otherwise."),
    )
    nationality = models.CharField(_("nationality (ISO country code)"), max_length=2, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    disability = models.CharField(_("disability"), max_length=200, blank=True)
    migration_status = models.CharField(
        _("migration status"), max_length=10, choices=MigrationStatus.choices, default=MigrationStatus.UNKNOWN
    )
    owner_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("registering institution")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    is_synthetic = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.reference

    @property
    def is_child(self) -> bool:
        return self.age_group == AgeGroup.CHILD or self.presumed_child


class PersonIdentity(models.Model):
    """Everything that identifies a person. Encrypted column by column; never shown outside the team."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="identity")
    given_names = EncryptedTextField(_("given names"), blank=True)
    family_names = EncryptedTextField(_("family names"), blank=True)
    aliases = EncryptedJSONField(_("aliases"), default=list, blank=True)
    birth_date = EncryptedTextField(_("birth date"), blank=True)
    id_documents = EncryptedJSONField(_("identity documents"), default=list, blank=True)
    phones = EncryptedJSONField(_("phones"), default=list, blank=True)
    emails = EncryptedJSONField(_("e-mails"), default=list, blank=True)
    addresses = EncryptedJSONField(_("addresses"), default=list, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"identity of {self.person_id}"


class PersonSearchToken(models.Model):
    """A keyed hash of a normalised identity fragment (name token, phonetic key, birth year…)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_tokens")
    kind = models.CharField(max_length=16)
    token = models.CharField(max_length=32)

    class Meta:
        # Blocking reads posting lists by (kind, token); carrying person_id lets PostgreSQL answer
        # from the index alone.
        indexes = [models.Index(fields=["kind", "token", "person"], name="person_token_posting")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.token}"


class PersonMatchSignature(models.Model):
    """The keyed hashes duplicate scoring compares (per-word keys, letter pairs, birth-date parts, sex).

    One row per person, read only for the few candidates blocking returns. No plaintext."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="match_signature")
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"signature of {self.person_id}"
