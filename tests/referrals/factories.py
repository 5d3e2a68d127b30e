"""Building cases and referrals for the referral tests, through the real services."""

from __future__ import annotations

from typing import Any

from ruta.cases.models import Case
from ruta.cases.services import case_open
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution, InstitutionService
from ruta.persons.models import Person
from ruta.persons.services import IdentityInput, person_register
from ruta.referrals import services
from ruta.referrals.consent import ConsentInput
from ruta.referrals.models import Referral, SharedSection, Urgency

SECRET_NAME = "Mariela"
SECRET_FAMILY = "Zúniga Portillo"


def make_case(
    personas: dict[str, Any], *, owner: str = "eri_responder", municipality: str = "0801", child: bool = False
) -> Case:
    actor = personas[owner]
    institution = actor.memberships.get().institution
    person = person_register(
        actor=actor,
        institution=institution,
        age_years=15 if child else 31,
        identity=IdentityInput(given_names=SECRET_NAME, family_names=SECRET_FAMILY, phones=["+504 9999-0000"]),
    )
    return case_open(
        actor=actor,
        lead_institution=institution,
        presumed_victims=[person],
        municipality=Municipality.objects.get(code=municipality),
    )


def notified(personas: dict[str, Any], case: Case, *, actor: str = "eri_responder") -> Case:
    """Record that the child-protection authority (SENAF) was notified of this case."""
    from django.utils import timezone

    from ruta.cases.protection import child_notification_record

    case.refresh_from_db()
    child_notification_record(
        actor=personas[actor],
        case=case,
        version=case.version,
        institution=Institution.objects.get(code="senaf"),
        notified_at=timezone.now(),
        means="Oficio",
    )
    case.refresh_from_db()
    return case


def service(institution: str, category: str) -> InstitutionService:
    return InstitutionService.objects.get(institution__code=institution, category__code=category)


def victims(case: Case) -> list[Person]:
    return list(case.persons.order_by("pk"))


def consents_for(case: Case, *, granted: bool = True) -> list[ConsentInput]:
    senaf = Institution.objects.get(code="senaf")
    return [ConsentInput(person=p, granted=granted, authority=senaf if p.is_child else None) for p in victims(case)]


def make_referral(
    personas: dict[str, Any],
    case: Case | None = None,
    *,
    to: tuple[str, str] = ("sesal", "health_care"),
    sections: list[str] | None = None,
    urgency: str = Urgency.NORMAL,
    send: bool = True,
    consent: bool = True,
    sender: str = "eri_responder",
) -> Referral:
    case = case or make_case(personas)
    return services.referral_create(
        actor=personas[sender],
        case=case,
        persons=victims(case),
        service=service(*to),
        urgency=urgency,
        shared_sections=sections or [SharedSection.BASIC],
        reason="Necesita atención médica urgente.",
        consents=consents_for(case) if consent else [],
        send=send,
    )


def accepted_referral(personas: dict[str, Any], **kwargs: Any) -> Referral:
    referral = make_referral(personas, **kwargs)
    receiver = "legal_liaison" if referral.to_institution.code == "mp" else "caseworker"
    return services.referral_accept(actor=personas[receiver], referral=referral)
