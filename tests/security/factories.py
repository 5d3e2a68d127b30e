"""Small builders for security tests: persons with known identities, cases, alerts."""

from __future__ import annotations

from typing import Any

from ruta.cases.services import case_open
from ruta.institutions.models import Institution
from ruta.persons.services import IdentityInput, person_register


def person_with_identity(
    actor: Any, institution_code: str, *, given: str, family: str, document: str, phone: str
) -> Any:
    return person_register(
        actor=actor,
        institution=Institution.objects.get(code=institution_code),
        age_years=16,
        identity=IdentityInput(
            given_names=given,
            family_names=family,
            id_documents=[{"type": "dni", "number": document}],
            phones=[phone],
            notes=f"Vive con su tía; teléfono {phone}",
        ),
    )


def case_for(owner_key: str, personas: dict[str, Any], institution_code: str, *, given: str = "Marisol") -> Any:
    owner = personas[owner_key]
    person = person_with_identity(
        owner,
        institution_code,
        given=given,
        family="Zelaya Turcios",
        document="0801-2009-77777",
        phone="+504 9988-1122",
    )
    return case_open(
        actor=owner,
        lead_institution=Institution.objects.get(code=institution_code),
        presumed_victims=[person],
        narrative=f"{given} fue reclutada con una oferta falsa de trabajo.",
    )


def seed_world() -> dict[str, Any]:
    """Reference data and personas, for tests that build them after their own database fixtures."""
    from ruta.demo.institutions import seed_institutions
    from ruta.demo.personas import seed_personas
    from ruta.geo.services import geography_load

    geography_load()
    seed_institutions()
    return seed_personas()
