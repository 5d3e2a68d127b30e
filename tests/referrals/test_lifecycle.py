"""Send → accept → complete, send → decline, revoke: every step writes history, timeline and audit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ruta.audit.models import AuditEvent
from ruta.cases.models import CaseEvent
from ruta.notifications.models import Notification
from ruta.referrals import services
from ruta.referrals.models import ReferralEvent, ReferralStatus, Urgency
from ruta.referrals.steps import ReferralError
from tests.referrals.factories import accepted_referral, make_case, make_referral, service, victims

pytestmark = pytest.mark.django_db


def test_send_accept_complete(personas: dict[str, Any]) -> None:
    before = timezone.now()
    referral = make_referral(personas, urgency=Urgency.EMERGENCY)
    assert referral.reference.startswith(f"R-{before.year}-")
    assert referral.status == ReferralStatus.SENT
    assert referral.from_institution.code == "eri" and referral.to_institution.code == "sesal"
    assert before + timedelta(hours=4) <= referral.accept_due_at <= timezone.now() + timedelta(hours=4)
    assert referral.complete_due_at - referral.sent_at == timedelta(days=3)
    assert Notification.objects.filter(recipient=personas["caseworker"], kind="referral_received").exists()

    services.referral_accept(actor=personas["caseworker"], referral=referral)
    referral = services.referral_complete(actor=personas["caseworker"], referral=referral, outcome="Atendida.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.outcome == "Atendida."
    kinds = list(ReferralEvent.objects.filter(referral=referral).values_list("kind", flat=True))
    assert kinds == ["created", "consent_recorded", "sent", "accepted", "completed"]
    timeline = set(CaseEvent.objects.filter(case=referral.case).values_list("kind", flat=True))
    assert {"referral_sent", "referral_accepted", "referral_completed"} <= timeline
    audited = AuditEvent.objects.filter(object_type="referrals.referral", object_id=str(referral.pk))
    assert audited.filter(action="transition").count() >= 3
    assert Notification.objects.filter(recipient=personas["eri_responder"], kind="referral_completed").exists()


def test_outcome_is_encrypted_at_rest(personas: dict[str, Any]) -> None:
    from django.db import connection

    referral = accepted_referral(personas)
    services.referral_complete(actor=personas["caseworker"], referral=referral, outcome="Atendida en Tegucigalpa")
    with connection.cursor() as cursor:
        cursor.execute("SELECT outcome, reason FROM referrals_referral WHERE id = %s", [referral.pk])
        outcome, reason = cursor.fetchone()
    assert "Tegucigalpa" not in outcome and "urgente" not in reason


def test_decline_needs_a_reason(personas: dict[str, Any]) -> None:
    referral = make_referral(personas)
    with pytest.raises(ReferralError) as error:
        services.referral_decline(actor=personas["caseworker"], referral=referral, reason="  ")
    assert error.value.code == "required"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    services.referral_decline(actor=personas["caseworker"], referral=referral, reason="Sin cupo")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "Sin cupo"
    with pytest.raises(ReferralError) as error:
        services.referral_complete(actor=personas["caseworker"], referral=referral, outcome="x")
    assert error.value.code == "invalid_status"


def test_complete_needs_an_outcome_and_acceptance(personas: dict[str, Any]) -> None:
    referral = make_referral(personas)
    with pytest.raises(ReferralError):
        services.referral_complete(actor=personas["caseworker"], referral=referral, outcome="Hecho")
    services.referral_accept(actor=personas["caseworker"], referral=referral)
    with pytest.raises(ReferralError) as error:
        services.referral_complete(actor=personas["caseworker"], referral=referral, outcome="")
    assert error.value.field == "outcome"


def test_only_the_recipient_institution_answers(personas: dict[str, Any]) -> None:
    referral = make_referral(personas)
    for key in ("caseworker_ngo", "legal_liaison", "eri_responder", "supervisor"):
        with pytest.raises(PermissionDenied):
            services.referral_accept(actor=personas[key], referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_sender_revokes_with_reason_not_after_completion(personas: dict[str, Any]) -> None:
    referral = make_referral(personas)
    with pytest.raises(PermissionDenied):
        services.referral_revoke(actor=personas["caseworker"], referral=referral, reason="no")
    with pytest.raises(ReferralError):
        services.referral_revoke(actor=personas["eri_responder"], referral=referral, reason="")
    services.referral_revoke(actor=personas["eri_responder"], referral=referral, reason="La víctima se trasladó")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED
    with pytest.raises(ReferralError):
        services.referral_accept(actor=personas["caseworker"], referral=referral)

    done = accepted_referral(personas)
    services.referral_complete(actor=personas["caseworker"], referral=done, outcome="ok")
    with pytest.raises(ReferralError) as error:
        services.referral_revoke(actor=personas["eri_responder"], referral=done, reason="tarde")
    assert error.value.code == "invalid_status"


def test_directory_rules(personas: dict[str, Any]) -> None:
    case = make_case(personas, municipality="0801")
    kwargs = {
        "actor": personas["eri_responder"],
        "case": case,
        "persons": victims(case),
        "urgency": "normal",
        "shared_sections": ["basic"],
    }
    # Municipalidad de San Pedro Sula covers Cortés (05) only; the case is in Francisco Morazán (08).
    with pytest.raises(ReferralError) as error:
        services.referral_create(service=service("sps", "economic"), **kwargs)  # type: ignore[arg-type]
    assert error.value.code == "service_not_covering"
    not_taking = service("sesal", "psychosocial")
    not_taking.accepts_referrals = False
    not_taking.save()
    with pytest.raises(ReferralError) as error:
        services.referral_create(service=not_taking, **kwargs)  # type: ignore[arg-type]
    assert error.value.code == "service_no_referrals"
    with pytest.raises(ReferralError) as error:
        services.referral_create(service=service("eri", "psychosocial"), **kwargs)  # type: ignore[arg-type]
    assert error.value.code == "same_institution"


def test_children_need_a_service_that_serves_children(personas: dict[str, Any]) -> None:
    case = make_case(personas, child=True)
    adults_only = service("oim", "economic")
    adults_only.serves_children = False
    adults_only.save()
    with pytest.raises(ReferralError) as error:
        services.referral_create(
            actor=personas["eri_responder"],
            case=case,
            persons=victims(case),
            service=adults_only,
            urgency="high",
            shared_sections=["basic"],
        )
    assert error.value.code == "service_no_children"


def test_non_team_member_cannot_refer(personas: dict[str, Any]) -> None:
    case = make_case(personas)
    with pytest.raises(PermissionDenied):
        make_referral(personas, case, sender="eri_responder_north")
    with pytest.raises(PermissionDenied):
        make_referral(personas, case, sender="supervisor")  # oversees the case, but is not on its team


def test_web_send_accept_complete(personas: dict[str, Any], client: Any) -> None:
    case = make_case(personas)
    person = victims(case)[0]
    client.force_login(personas["eri_responder"])
    url = reverse("referrals:new") + f"?case={case.reference}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "persons": [person.pk],
            "service": service("sesal", "health_care").pk,
            "urgency": "high",
            "shared_sections": ["basic"],
            "reason": "Control médico",
            f"consent_{person.pk}": "granted",
            "action": "send",
        },
    )
    assert response.status_code == 302, response.content
    referral = case.referrals.get()
    assert referral.status == ReferralStatus.SENT
    client.force_login(personas["caseworker"])
    assert client.post(reverse("referrals:accept", args=[referral.reference])).status_code == 302
    response = client.post(reverse("referrals:complete", args=[referral.reference]), {"outcome": ""})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    response = client.post(reverse("referrals:complete", args=[referral.reference]), {"outcome": "Atendida"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
