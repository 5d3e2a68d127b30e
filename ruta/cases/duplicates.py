"""The duplicate check shown before persons are registered on a case (opening a case, adding a
person to one): the pages show likely duplicates once, then save on a resubmission of the same
persons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.crypto import salted_hmac

from ruta.accounts.models import User
from ruta.persons.models import Person
from ruta.persons.names import NameRecord
from ruta.persons.permissions import PersonPermission
from ruta.persons.selectors import DuplicateCandidate, record_duplicate_check
from ruta.persons.services import estimated_birth_year
from ruta.policy import access

# Set by the page once the duplicate check was shown, to a fingerprint of what was checked: a new
# submission of the same persons saves; one that adds or changes what tells persons apart (a birth
# date, an age, a second family name) is checked again.
DUPLICATES_SEEN = "duplicates_seen"


@dataclass(frozen=True)
class FormDuplicates:
    position: int  # the person form's position, from 1
    candidates: list[DuplicateCandidate]
    crowded: bool  # several namesakes, none suggested: the form should say what would tell them apart


def _match_record(data: dict[str, Any]) -> NameRecord | None:
    given, family = (data.get("given_names") or "").strip(), (data.get("family_names") or "").strip()
    if not (given or family):
        return None
    return NameRecord(
        given_names=given,
        family_names=family,
        birth_date=data.get("birth_date"),
        sex=data.get("sex") or "",
        birth_year=estimated_birth_year(data.get("age_years")),
    )


def duplicates_checked(person_forms: list[Any]) -> str:
    """A fingerprint of what the duplicate check looks at (normalised, so a lost accent is no change)."""
    parts = []
    for form in person_forms:
        record = _match_record(form.cleaned_data)
        if record is not None:
            parts.append(repr((record.given_keys, record.family_keys, record.birth_date, record.year, record.sex)))
    return salted_hmac("ruta.cases.duplicates-checked", "\n".join(parts)).hexdigest()


def likely_duplicates(user: User, person_forms: list[Any]) -> list[FormDuplicates]:
    """For each filled person form, the registered persons it may duplicate (or the fact that several
    match and none stands out), among those ``user`` may open (PERSON_VIEW): a match elsewhere is never
    revealed. Matching uses keyed tokens only; identities shown are audited by the selector."""
    searchable = access.visible(user, PersonPermission.VIEW, Person.objects.filter(merged_into__isnull=True))
    found = []
    for position, form in enumerate(person_forms, start=1):
        record = _match_record(form.cleaned_data)
        if record is None:
            continue
        check = record_duplicate_check(actor=user, record=record, searchable=searchable)
        if check.candidates or check.crowded:
            found.append(FormDuplicates(position, check.candidates, check.crowded))
    return found
