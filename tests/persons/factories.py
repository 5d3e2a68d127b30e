from __future__ import annotations

from typing import Any

from ruta.cases.models import CaseMember
from ruta.cases.services import case_open
from ruta.institutions.models import Institution
from ruta.persons.models import Person
from ruta.persons.services import IdentityInput, person_register


def make_person(actor: Any, institution_code: str = "eri", **identity: Any) -> Person:
    institution = Institution.objects.get(code=institution_code)
    sex = identity.pop("sex", "female")
    age = identity.pop("age_years", None)
    return person_register(
        actor=actor, institution=institution, sex=sex, age_years=age, identity=IdentityInput(**identity)
    )


def case_world(personas: dict[str, Any]) -> dict[str, Any]:
    """A case led by the ERI (owner: eri_responder) with the legal liaison on its team, and a second
    person of the same institution that looks like a duplicate of the first."""
    owner = personas["eri_responder"]
    person = make_person(owner, given_names="María José", family_names="Hernández López", birth_date="2010-05-04")
    twin = make_person(owner, given_names="Maria Jose", family_names="Hernandes Lopez", birth_date="2010-05-04")
    eri = Institution.objects.get(code="eri")
    case = case_open(actor=owner, lead_institution=eri, presumed_victims=[person])
    CaseMember.objects.create(case=case, user=personas["legal_liaison"], institution=Institution.objects.get(code="mp"))
    return {"person": person, "twin": twin, "case": case}
