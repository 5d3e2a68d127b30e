"""Consent, children, approvals, dates and concurrency: the rules that protect people."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ruta.cases import care, closure, protection, services
from ruta.cases.models import CaseEvent, CasePersonRole, Consent, ConsentPurpose, NeedAssessment, Stage
from ruta.cases.stages import CaseFacts, derive_stage
from ruta.persons.models import AgeGroup
from tests.cases import factories


def test_stage_is_a_pure_function_of_the_facts() -> None:
    assert derive_stage(CaseFacts()) == Stage.IDENTIFICATION
    assert derive_stage(CaseFacts(identification_recorded=True)) == Stage.CONSENT
    assert derive_stage(CaseFacts(case_work_consent=True)) == Stage.ASSESSMENT
    assert derive_stage(CaseFacts(assessment_started=True, plan_recorded=True)) == Stage.PLANNING
    assert derive_stage(CaseFacts(plan_recorded=True, plan_approved=True)) == Stage.SERVICES
    assert derive_stage(CaseFacts(services_or_referrals=True, follow_up_done=True)) == Stage.FOLLOW_UP
    assert derive_stage(CaseFacts(follow_up_done=True, closure_pending=True)) == Stage.CLOSURE_REQUESTED
    assert derive_stage(CaseFacts(closed=True, closure_pending=False)) == Stage.CLOSED


def test_care_work_needs_consent_to_case_work(personas: dict[str, Any]) -> None:
    eri = personas["eri_responder"]
    case = factories.open_case(eri)
    with pytest.raises(services.CaseError, match="consent"):
        factories.assess(eri, case)
    assert not NeedAssessment.objects.exists()
    case = factories.consent_all(eri, case)
    consent = Consent.objects.get()
    protection.consent_withdraw(actor=eri, case=case, version=case.version, consent=consent)
    case = factories.fresh(case)
    with pytest.raises(services.CaseError, match="consent"):
        factories.assess(eri, case)
    # A refusal recorded after a consent replaces it.
    case = factories.consent_all(eri, case)
    protection.consent_record(
        actor=eri,
        case=case,
        version=case.version,
        person=factories.victim(case),
        purpose=ConsentPurpose.CASE_WORK,
        granted=False,
    )
    with pytest.raises(services.CaseError):
        factories.assess(eri, factories.fresh(case))


def test_unknown_age_is_presumed_a_child_and_blocks_until_senaf_and_guardian(personas: dict[str, Any]) -> None:
    eri = personas["eri_responder"]
    case = factories.open_case(eri, victims=[factories.UNKNOWN_AGE])
    child = factories.victim(case)
    assert child.presumed_child and child.age_group == AgeGroup.UNKNOWN and case.has_child
    # A child's consent alone is refused.
    with pytest.raises(services.CaseError, match="never recorded alone"):
        protection.consent_record(
            actor=eri, case=case, version=case.version, person=child, purpose=ConsentPurpose.CASE_WORK, granted=True
        )
    case = factories.fresh(case)
    # With the authority it counts; still blocked without SENAF notification and a guardian.
    case = factories.consent_all(eri, case, authority=factories.institution("senaf"))
    with pytest.raises(services.CaseError, match="SENAF") as blocked:
        factories.assess(eri, case)
    assert "guardian" in blocked.value.message
    case = factories.fresh(case)
    with pytest.raises(services.CaseError, match="child-protection authority"):
        protection.child_notification_record(
            actor=eri,
            case=case,
            version=case.version,
            institution=factories.institution("sesal"),
            notified_at=timezone.now(),
            means="Teléfono",
        )
    case = factories.fresh(case)
    protection.child_notification_record(
        actor=eri,
        case=case,
        version=case.version,
        institution=factories.institution("senaf"),
        notified_at=timezone.now(),
        means="Oficio",
    )
    case = factories.fresh(case)
    with pytest.raises(services.CaseError, match="guardian"):
        factories.assess(eri, case)
    services.case_person_add(
        actor=eri,
        case=case,
        version=case.version,
        role=CasePersonRole.GUARDIAN,
        person=services.PersonInput(age_years=40, age_group=AgeGroup.ADULT),
    )
    case = factories.assess(eri, factories.fresh(case))
    assert case.stage == Stage.ASSESSMENT
    # Closure of a child's case needs a best-interests decision first.
    with pytest.raises(services.CaseError, match="best-interests"):
        factories.request_closure(eri, case)
    case = factories.fresh(case)
    protection.best_interests_record(
        actor=eri,
        case=case,
        version=case.version,
        person=child,
        purpose="closure",
        decided_on=timezone.localdate(),
        institution=factories.institution("senaf"),
        decision="Reintegración familiar segura.",
    )
    case = factories.request_closure(eri, factories.fresh(case))
    assert case.stage == Stage.CLOSURE_REQUESTED


def test_child_consent_through_the_page_shows_a_translated_message(client: Any, personas: dict[str, Any]) -> None:
    case = factories.open_case(personas["eri_responder"], victims=[factories.CHILD])
    client.force_login(personas["eri_responder"])
    response = client.post(
        reverse("cases:consent", kwargs={"reference": case.reference}),
        {"version": case.version, "person": factories.victim(case).pk, "purpose": "case_work", "granted": "yes"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "never recorded alone" in response.content.decode()
    assert not Consent.objects.exists() and factories.fresh(case).version == case.version


def test_return_of_a_child_needs_a_best_interests_decision(personas: dict[str, Any]) -> None:
    from ruta.institutions.models import ServiceCategory

    eri = personas["eri_responder"]
    case = factories.open_case(eri, victims=[factories.CHILD])
    protection.child_notification_record(
        actor=eri,
        case=case,
        version=case.version,
        institution=factories.institution("senaf"),
        notified_at=timezone.now(),
        means="Oficio",
        authority_represents=True,
    )
    case = factories.consent_all(eri, factories.fresh(case), authority=factories.institution("senaf"))
    with pytest.raises(services.CaseError, match="best-interests"):
        care.service_record(
            actor=eri,
            case=case,
            version=case.version,
            service=ServiceCategory.objects.get(code="family_reintegration"),
            institution=factories.institution("senaf"),
            delivered_on=timezone.localdate(),
        )


def test_plan_author_cannot_approve_and_others_without_scope_cannot(personas: dict[str, Any]) -> None:
    supervisor = personas["supervisor"]
    case = factories.open_case(personas["eri_responder"])
    services.case_member_add(
        actor=personas["eri_responder"],
        case=case,
        version=case.version,
        user=supervisor,
        institution=case.lead_institution,
    )
    case = factories.plan(supervisor, factories.consent_all(supervisor, factories.fresh(case)))
    plan = care.current_plan(case)
    assert plan is not None
    with pytest.raises(services.CaseError, match="author"):
        care.plan_decide(actor=supervisor, case=case, version=case.version, plan=plan, approve=True)
    case = factories.fresh(case)
    with pytest.raises(services.CaseError, match="cannot approve"):
        care.plan_decide(actor=personas["supervisor_health"], case=case, version=case.version, plan=plan, approve=True)
    assert care.current_plan(factories.fresh(case)).approved_at is None  # type: ignore[union-attr]


def test_impossible_dates_and_directory_services_are_refused(personas: dict[str, Any]) -> None:
    from ruta.institutions.models import ServiceCategory

    eri = personas["eri_responder"]
    case = factories.consent_all(eri, factories.open_case(eri, days_ago=5))
    with pytest.raises(services.CaseError, match="before the case was opened"):
        care.follow_up_schedule(
            actor=eri,
            case=case,
            version=case.version,
            due_on=timezone.localdate() - timedelta(days=30),
            purpose="x",
            assigned_to=eri,
        )
    case = factories.fresh(case)
    with pytest.raises(services.CaseError, match="does not offer"):
        care.service_record(
            actor=eri,
            case=case,
            version=case.version,
            service=ServiceCategory.objects.get(code="prosecution"),
            institution=factories.institution("sesal"),
            delivered_on=timezone.localdate(),
        )
    case = factories.fresh(case)
    with pytest.raises(services.CaseError, match="future"):
        closure.case_closure_request(
            actor=eri,
            case=case,
            version=case.version,
            reason=__import__("ruta.cases.models").cases.models.ClosureReason.objects.first(),
            closed_on=timezone.localdate() + timedelta(days=2),
        )
    assert factories.fresh(case).stage == Stage.ASSESSMENT or factories.fresh(case).stage == Stage.IDENTIFICATION


def test_birth_in_the_future_and_unknown_institution_are_refused_on_the_page(
    client: Any, personas: dict[str, Any]
) -> None:
    from ruta.cases.models import Case

    client.force_login(personas["eri_responder"])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("cases:open"),
        {
            "lead_institution": 999999,
            "municipality": "0501",
            "exploitation": "sexual",
            "victims-TOTAL_FORMS": 1,
            "victims-INITIAL_FORMS": 0,
            "victims-0-sex": "female",
            "victims-0-age_group": "unknown",
            "victims-0-birth_date": future,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "birth date cannot be in the future" in body
    assert "Select a valid choice" in body
    assert not Case.objects.exists()


def test_a_stale_edit_is_refused_keeps_the_entries_and_saves_nothing(client: Any, personas: dict[str, Any]) -> None:
    eri = personas["eri_responder"]
    case = factories.consent_all(eri, factories.open_case(eri))
    stale_version = case.version
    factories.assess(eri, case)  # someone else saved meanwhile
    client.force_login(eri)
    events = CaseEvent.objects.count()
    response = client.post(
        reverse("cases:needs", kwargs={"reference": case.reference}),
        {"version": stale_version, "legal-level": "medium", "legal-notes": "Necesita abogada privada"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this case" in body
    assert "Necesita abogada privada" in body  # nothing the user typed is lost
    assert f'value="{factories.fresh(case).version}"' in body  # re-based on the current version
    assert not NeedAssessment.objects.filter(area="legal").exists()
    assert CaseEvent.objects.count() == events


def test_service_level_conflict_rolls_back_everything(personas: dict[str, Any]) -> None:
    eri = personas["eri_responder"]
    case = factories.open_case(eri)
    old = case.version
    protection.consent_record(
        actor=eri,
        case=case,
        version=old,
        person=factories.victim(case),
        purpose=ConsentPurpose.STATISTICS,
        granted=True,
    )
    with pytest.raises(services.CaseConflict):
        protection.consent_record(
            actor=eri,
            case=factories.fresh(case),
            version=old,
            person=factories.victim(case),
            purpose=ConsentPurpose.CASE_WORK,
            granted=True,
        )
    assert Consent.objects.count() == 1


def test_the_service_refuses_a_screening_of_another_person(personas: Any) -> None:
    """Through any door (page or API), an identification decision cites only its own person's screening."""
    from ruta.screening.services import screening_record_create

    eri = personas["eri_responder"]
    case = factories.open_case(eri, victims=[factories.ADULT, factories.ADULT])
    victim, other = services.presumed_victims(case)[:2]
    record = screening_record_create(
        actor=personas["eri_responder"],
        subject_type="persons.person",
        subject_id=other.pk,
        age=30,
        presumed_child=False,
        exploitation="labour",
        indicator_codes=[],
    )
    with pytest.raises(services.CaseError) as refused:
        protection.identification_record(
            actor=personas["eri_responder"],
            case=case,
            version=case.version,
            person=victim,
            outcome="identified",
            institution=case.lead_institution,
            decided_on=timezone.localdate(),
            basis="Interview and documents",
            screening_record_id=record.pk,
        )
    assert "not of the person" in str(refused.value.message)
