"""Registering and changing persons. Identity data go only into ``PersonIdentity`` (encrypted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.references import next_reference
from ruta.institutions.models import Institution
from ruta.persons.models import PERSON_REFERENCE_PREFIX, AgeGroup, Person, PersonIdentity, Sex

ADULT_AGE = 18


@dataclass
class IdentityInput:
    given_names: str = ""
    family_names: str = ""
    aliases: list[str] = field(default_factory=list)
    birth_date: str = ""  # ISO date, YYYY-MM-DD
    id_documents: list[dict[str, str]] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    notes: str = ""


def age_group_for(age_years: int | None, stated: str = AgeGroup.UNKNOWN) -> str:
    if age_years is not None:
        return AgeGroup.CHILD if age_years < ADULT_AGE else AgeGroup.ADULT
    return stated or AgeGroup.UNKNOWN


@transaction.atomic
def person_register(
    *,
    actor: Any,
    institution: Institution,
    sex: str = Sex.UNKNOWN,
    age_years: int | None = None,
    age_group: str = AgeGroup.UNKNOWN,
    presumed_child: bool | None = None,
    identity: IdentityInput | None = None,
    **attributes: Any,
) -> Person:
    """Create a person. With no known age and no stated adulthood the person is presumed a child."""
    group = age_group_for(age_years, age_group)
    if presumed_child is None:
        presumed_child = group != AgeGroup.ADULT and age_years is None
    person = Person.objects.create(
        reference=next_reference(PERSON_REFERENCE_PREFIX),
        sex=sex,
        age_years=age_years,
        age_recorded_on=timezone.localdate() if age_years is not None else None,
        age_group=group,
        presumed_child=presumed_child,
        owner_institution=institution,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **attributes,
    )
    PersonIdentity.objects.create(person=person, **vars(identity or IdentityInput()))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=person, summary="person registered")
    return person
