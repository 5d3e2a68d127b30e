"""Building cases for tests through the real services (no shortcuts past the rules)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from ruta.cases import care, closure, protection, services
from ruta.cases.models import Case, ClosureReason, ConsentPurpose, ExploitationType
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution, ServiceCategory
from ruta.persons.models import AgeGroup, Person, Sex
from ruta.persons.services import IdentityInput

ADULT = services.PersonInput(
    sex=Sex.FEMALE,
    age_years=24,
    age_group=AgeGroup.ADULT,
    identity=IdentityInput(given_names="María", family_names="López Reyes"),
)
CHILD = services.PersonInput(
    sex=Sex.FEMALE,
    age_years=15,
    age_group=AgeGroup.CHILD,
    identity=IdentityInput(given_names="Daniela", family_names="Mejía"),
)
UNKNOWN_AGE = services.PersonInput(sex=Sex.FEMALE, identity=IdentityInput(given_names="Sin", family_names="Edad"))


def institution(code: str) -> Institution:
    return Institution.objects.get(code=code)


def open_case(
    actor: Any,
    *,
    lead: str = "eri",
    municipality: str = "0501",
    victims: list[services.PersonInput] | None = None,
    days_ago: int = 10,
) -> Case:
    return services.case_open_direct(
        actor=actor,
        lead_institution=institution(lead),
        municipality=Municipality.objects.get(code=municipality),
        exploitation=ExploitationType.SEXUAL,
        narrative="Rescatada en un bar de la zona.",
        opened_at=timezone.now() - timedelta(days=days_ago),
        victims=victims or [ADULT],
    )


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def victim(case: Case) -> Person:
    return services.presumed_victims(case)[0]


def consent_all(actor: Any, case: Case, **kwargs: Any) -> Case:
    for person in services.presumed_victims(case):
        case = fresh(case)
        protection.consent_record(
            actor=actor,
            case=case,
            version=case.version,
            person=person,
            purpose=ConsentPurpose.CASE_WORK,
            granted=True,
            **kwargs,
        )
    return fresh(case)


def assess(actor: Any, case: Case) -> Case:
    care.needs_assessment_record(
        actor=actor,
        case=case,
        version=case.version,
        entries=[
            care.NeedEntry(area="health", level="high", notes="Atención médica"),
            care.NeedEntry(area="shelter", level="urgent"),
        ],
    )
    return fresh(case)


def plan(actor: Any, case: Case, *, submit: bool = True) -> Case:
    care.plan_save(
        actor=actor,
        case=case,
        version=case.version,
        goals="Estabilizar salud y alojamiento seguro.",
        items=[
            care.PlanItemInput(
                service=ServiceCategory.objects.get(code="health_care"),
                institution=institution("sesal"),
                starts_on=timezone.localdate(),
            )
        ],
        submit=submit,
    )
    return fresh(case)


def request_closure(actor: Any, case: Case) -> Case:
    closure.case_closure_request(
        actor=actor,
        case=case,
        version=case.version,
        reason=ClosureReason.objects.get(code="plan_completed"),
        closed_on=timezone.localdate(),
    )
    return fresh(case)
