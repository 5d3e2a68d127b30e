"""Demo referrals in different states: completed, declined, overdue (escalated), accepted by the
prosecutor with a legal milestone, and a draft awaiting consent. Idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.cases.models import Case
from ruta.cases.protection import child_notification_record
from ruta.cases.services import case_open
from ruta.core import rollups
from ruta.deadlines.services import escalate
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution, InstitutionService
from ruta.persons.services import IdentityInput, person_register
from ruta.referrals import services
from ruta.referrals.consent import ConsentInput
from ruta.referrals.deadlines import ACCEPTANCE_DEADLINE
from ruta.referrals.models import Referral, ReferralStatus, SharedSection

DEMO_MARK = "[demo]"


def _case(actor: Any, institution: Institution, municipality: str, age: int, name: str) -> Case:
    person = person_register(
        actor=actor,
        institution=institution,
        age_years=age,
        identity=IdentityInput(given_names=name, family_names="Demo"),
    )
    case = case_open(
        actor=actor,
        lead_institution=institution,
        presumed_victims=[person],
        municipality=Municipality.objects.filter(code=municipality).first(),
        origin="demo",
    )
    if person.is_child:
        # A case with a child refers only once the child-protection authority has been notified.
        child_notification_record(
            actor=actor,
            case=case,
            version=case.version,
            institution=Institution.objects.get(code="senaf"),
            notified_at=timezone.now(),
            means="Oficio (demo)",
            authority_represents=True,
        )
        case.refresh_from_db()
    return case


def _referral(
    actor: Any, case: Case, institution: str, category: str, urgency: str, sections: Sequence[str]
) -> Referral:
    persons = list(case.persons.all())
    senaf = Institution.objects.get(code="senaf")
    return services.referral_create(
        actor=actor,
        case=case,
        persons=persons,
        service=InstitutionService.objects.get(institution__code=institution, category__code=category),
        urgency=urgency,
        shared_sections=sections,
        reason=f"{DEMO_MARK} Derivación de demostración.",
        consents=[ConsentInput(person=p, granted=True, authority=senaf if p.is_child else None) for p in persons],
        send=True,
    )


@transaction.atomic
def seed(users: dict[str, Any]) -> dict[str, int]:
    existing = Referral.objects.filter(created_by=users["eri_responder"]).count()
    if existing:
        return {"referrals": existing}
    sender = users["eri_responder"]
    eri = Institution.objects.get(code="eri")
    basic = [SharedSection.BASIC]

    completed = _referral(sender, _case(sender, eri, "0801", 24, "Lucía"), "sesal", "health_care", "high", basic)
    services.referral_accept(actor=users["caseworker"], referral=completed)
    services.referral_complete(
        actor=users["caseworker"], referral=completed, outcome="Atención médica y psicológica brindada."
    )

    declined = _referral(sender, _case(sender, eri, "0801", 29, "Marta"), "casa-alianza", "shelter", "normal", basic)
    services.referral_decline(
        actor=users["caseworker_ngo"], referral=declined, reason="Sin cupo en el albergue esta semana."
    )

    overdue = _referral(sender, _case(sender, eri, "0501", 19, "Karla"), "sesal", "psychosocial", "emergency", basic)
    rollups.mark_changed(Referral.objects.filter(pk=overdue.pk))
    Referral.objects.filter(pk=overdue.pk).update(
        sent_at=timezone.now() - timedelta(hours=6), accept_due_at=timezone.now() - timedelta(hours=2)
    )
    rollups.mark_changed(Referral.objects.filter(pk=overdue.pk))
    escalate(kind=ACCEPTANCE_DEADLINE, record_id=overdue.pk)

    legal = _referral(
        sender,
        _case(sender, eri, "0801", 16, "Daniela"),
        "mp",
        "prosecution",
        "high",
        [SharedSection.BASIC, SharedSection.LEGAL],
    )
    services.referral_accept(actor=users["legal_liaison"], referral=legal)
    services.legal_milestone_record(
        actor=users["legal_liaison"],
        referral=legal,
        kind="complaint_filed",
        occurred_on=timezone.localdate() - timedelta(days=2),
        notes="Denuncia registrada (demo).",
    )

    draft_case = _case(sender, eri, "0801", 35, "Rosa")
    services.referral_create(
        actor=sender,
        case=draft_case,
        persons=list(draft_case.persons.all()),
        service=InstitutionService.objects.get(institution__code="oim", category__code="migration"),
        urgency="normal",
        shared_sections=basic,
        reason=f"{DEMO_MARK} Pendiente de consentimiento.",
    )
    return {
        "referrals": Referral.objects.count(),
        "completed": Referral.objects.filter(status=ReferralStatus.COMPLETED).count(),
    }
