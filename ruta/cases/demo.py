"""Demo cases (synthetic): mostly commercial sexual exploitation, in Cortés and Francisco Morazán,
at various stages, one with a child. Built through the real services, so every rule holds.
Idempotent: a case is seeded once per demo key (kept in its opening event)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.cases import care, closure, protection, services
from ruta.cases.models import Case, CaseEvent, CasePersonRole, ClosureReason, ConsentPurpose, ExploitationType
from ruta.core import rollups
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution, ServiceCategory
from ruta.persons.models import AgeGroup, Sex
from ruta.persons.services import IdentityInput

P = services.PersonInput


def _open(
    key: str, owner: Any, municipality: str, exploitation: str, victims: list[P], days_ago: int, narrative: str
) -> Case | None:
    if CaseEvent.objects.filter(kind="case_opened", data__demo_key=key).exists():
        return None
    case = services.case_open(
        actor=owner,
        lead_institution=owner.memberships.filter(is_active=True).first().institution,
        presumed_victims=[services._register(owner, owner.memberships.first().institution, v) for v in victims],
        municipality=Municipality.objects.get(code=municipality),
        opened_at=timezone.now() - timedelta(days=days_ago),
        origin="demo",
        exploitation=exploitation,
        narrative=narrative,
        data={"demo_key": key},
    )
    rollups.mark_changed(Case.objects.filter(pk=case.pk))
    Case.objects.filter(pk=case.pk).update(is_synthetic=True)
    return Case.objects.get(pk=case.pk)


def _f(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _consent(actor: Any, case: Case, **kwargs: Any) -> Case:
    for person in services.presumed_victims(case):
        case = _f(case)
        protection.consent_record(
            actor=actor,
            case=case,
            version=case.version,
            person=person,
            purpose=ConsentPurpose.CASE_WORK,
            granted=True,
            **kwargs,
        )
    return _f(case)


def _identify(actor: Any, case: Case) -> Case:
    for person in services.presumed_victims(case):
        case = _f(case)
        protection.identification_record(
            actor=actor,
            case=case,
            version=case.version,
            person=person,
            outcome="identified",
            institution=case.lead_institution,
            decided_on=timezone.localdate(case.opened_at) + timedelta(days=1),
            basis="Indicadores de captación engañosa, explotación y control (demo).",
        )
    return _f(case)


def _needs(actor: Any, case: Case) -> Case:
    care.needs_assessment_record(
        actor=actor,
        case=case,
        version=case.version,
        entries=[
            care.NeedEntry("safety", "high", "Amenazas del tratante (demo)."),
            care.NeedEntry("health", "medium"),
            care.NeedEntry("psychosocial", "high"),
            care.NeedEntry("shelter", "urgent"),
            care.NeedEntry("legal", "", due_on=timezone.localdate() + timedelta(days=2)),
        ],
    )
    return _f(case)


def _plan(actor: Any, case: Case, *, submit: bool) -> Case:
    institutions = {i.code: i for i in Institution.objects.filter(code__in=["casa-alianza", "sesal", "senaf"])}
    services_ = {s.code: s for s in ServiceCategory.objects.filter(code__in=["shelter", "psychosocial", "health_care"])}
    care.plan_save(
        actor=actor,
        case=case,
        version=case.version,
        submit=submit,
        goals="Seguridad inmediata, atención en salud y apoyo psicosocial (demo).",
        items=[
            care.PlanItemInput(services_["shelter"], institutions["casa-alianza"], timezone.localdate()),
            care.PlanItemInput(
                services_["health_care"],
                institutions["sesal"],
                timezone.localdate(),
                timezone.localdate() + timedelta(days=30),
            ),
        ],
    )
    return _f(case)


@transaction.atomic
def seed(users: dict[str, Any]) -> dict[str, int]:
    eri, north, supervisor = users["eri_responder"], users["eri_responder_north"], users["supervisor"]
    senaf = Institution.objects.get(code="senaf")
    created = 0

    # 1. Cortés, sexual exploitation, two women: plan approved, services under way.
    case = _open(
        "sps-bar",
        north,
        "0501",
        ExploitationType.SEXUAL,
        [
            P(
                Sex.FEMALE,
                22,
                AgeGroup.ADULT,
                "HN",
                IdentityInput(given_names="Karla Yesenia", family_names="Ramos (demo)"),
            ),
            P(Sex.FEMALE, 19, AgeGroup.ADULT, "GT", IdentityInput(given_names="Wendy", family_names="Xol (demo)")),
        ],
        40,
        "Rescatadas en un bar de San Pedro Sula tras un operativo (demo).",
    )
    if case:
        created += 1
        case = _plan(north, _needs(north, _consent(north, _identify(north, case))), submit=True)
        plan = care.current_plan(case)
        care.plan_decide(actor=supervisor, case=case, version=case.version, plan=plan, approve=True)  # type: ignore[arg-type]
        case = _f(case)
        care.service_record(
            actor=north,
            case=case,
            version=case.version,
            service=ServiceCategory.objects.get(code="shelter"),
            institution=Institution.objects.get(code="casa-alianza"),
            delivered_on=timezone.localdate() - timedelta(days=20),
        )
        case = _f(case)
        care.follow_up_schedule(
            actor=north,
            case=case,
            version=case.version,
            due_on=timezone.localdate() + timedelta(days=1),
            purpose="Visita al albergue",
            assigned_to=north,
        )

    # 2. Francisco Morazán, a 15-year-old girl (sexual exploitation): SENAF notified, plan awaiting approval.
    case = _open(
        "tgu-child",
        eri,
        "0801",
        ExploitationType.SEXUAL,
        [
            P(Sex.FEMALE, 15, AgeGroup.CHILD, "HN", IdentityInput(given_names="Daniela", family_names="Mejía (demo)")),
        ],
        12,
        "Captada por redes sociales con oferta de modelaje (demo).",
    )
    if case:
        created += 1
        protection.child_notification_record(
            actor=eri,
            case=case,
            version=case.version,
            institution=senaf,
            notified_at=case.opened_at + timedelta(hours=2),
            means="Oficio y llamada",
            authority_reference="SENAF-DEMO-0042",
        )
        case = _f(case)
        services.case_person_add(
            actor=eri,
            case=case,
            version=case.version,
            role=CasePersonRole.GUARDIAN,
            person=P(
                Sex.FEMALE, 41, AgeGroup.ADULT, "HN", IdentityInput(given_names="Marta", family_names="Mejía (demo)")
            ),
        )
        case = _f(case)
        guardian = case.participants.get(role=CasePersonRole.GUARDIAN).person
        case = _plan(eri, _needs(eri, _consent(eri, case, guardian=guardian, authority=senaf)), submit=True)

    # 3. Francisco Morazán, labour exploitation: just opened, awaiting identification.
    if _open(
        "tgu-labour",
        eri,
        "0801",
        ExploitationType.LABOUR,
        [
            P(Sex.MALE, 34, AgeGroup.ADULT, "HN", IdentityInput(given_names="José Luis", family_names="Cruz (demo)")),
        ],
        2,
        "Trabajo en maquila sin pago y documentos retenidos (demo).",
    ):
        created += 1

    # 4. Cortés, sexual exploitation: closure requested, awaiting the supervisor.
    case = _open(
        "cortes-closure",
        north,
        "0506",
        ExploitationType.SEXUAL,
        [
            P(Sex.FEMALE, 27, AgeGroup.ADULT, "HN", IdentityInput(given_names="Lourdes", family_names="Paz (demo)")),
        ],
        120,
        "Explotación sexual en Puerto Cortés; reintegrada con su familia (demo).",
    )
    if case:
        created += 1
        case = _needs(north, _consent(north, _identify(north, case)))
        closure.case_closure_request(
            actor=north,
            case=case,
            version=case.version,
            reason=ClosureReason.objects.get(code="reintegrated"),
            closed_on=timezone.localdate(),
        )

    # 5. Francisco Morazán, sexual exploitation: closed with approval.
    case = _open(
        "tgu-closed",
        eri,
        "0801",
        ExploitationType.SEXUAL,
        [
            P(Sex.FEMALE, 31, AgeGroup.ADULT, "NI", IdentityInput(given_names="Iris", family_names="Blandón (demo)")),
        ],
        200,
        "Explotación sexual en Comayagüela; retornó a su país (demo).",
    )
    if case:
        created += 1
        case = _consent(eri, _identify(eri, case))
        closure.case_closure_request(
            actor=eri,
            case=case,
            version=case.version,
            reason=ClosureReason.objects.get(code="relocated_abroad"),
            closed_on=timezone.localdate() - timedelta(days=5),
        )
        case = _f(case)
        closure.case_closure_decide(actor=supervisor, case=case, version=case.version, approve=True)
    return {"cases": created}
