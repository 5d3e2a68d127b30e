"""Sending needs each person's consent to this referral, or a supervisor's written override."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ruta.audit.models import AuditEvent
from ruta.cases.models import Consent, ConsentPurpose
from ruta.cases.services import case_member_add
from ruta.institutions.models import Institution
from ruta.referrals import services
from ruta.referrals.consent import referral_consent_override, referral_consent_record
from ruta.referrals.models import Referral, ReferralStatus
from ruta.referrals.steps import ReferralError
from tests.referrals.factories import make_case, make_referral, notified, service, victims

pytestmark = pytest.mark.django_db


def test_sending_without_consent_is_blocked_and_saves_nothing(personas: dict[str, Any]) -> None:
    case = make_case(personas)
    with pytest.raises(ReferralError) as error:
        make_referral(personas, case, consent=False)
    assert error.value.code == "consent_missing"
    assert not Referral.objects.exists()


def test_refused_or_withdrawn_consent_blocks(personas: dict[str, Any]) -> None:
    case = make_case(personas)
    draft = make_referral(personas, case, consent=False, send=False)
    person = victims(case)[0]
    referral_consent_record(actor=personas["eri_responder"], referral=draft, person=person, granted=False)
    with pytest.raises(ReferralError):
        services.referral_send(actor=personas["eri_responder"], referral=draft)
    consent = referral_consent_record(actor=personas["eri_responder"], referral=draft, person=person, granted=True)
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    with pytest.raises(ReferralError) as error:
        services.referral_send(actor=personas["eri_responder"], referral=draft)
    assert error.value.code == "consent_missing"
    referral_consent_record(actor=personas["eri_responder"], referral=draft, person=person, granted=True)
    assert services.referral_send(actor=personas["eri_responder"], referral=draft).status == ReferralStatus.SENT


def test_consent_to_another_referral_does_not_count(personas: dict[str, Any]) -> None:
    case = make_case(personas)
    first = make_referral(personas, case)
    draft = make_referral(personas, case, to=("casa-alianza", "shelter"), consent=False, send=False)
    assert Consent.objects.filter(referral_id=first.pk, granted=True).exists()
    with pytest.raises(ReferralError) as error:
        services.referral_send(actor=personas["eri_responder"], referral=draft)
    assert error.value.code == "consent_missing"


def test_child_consent_alone_is_refused(personas: dict[str, Any]) -> None:
    case = notified(personas, make_case(personas, child=True))
    draft = make_referral(personas, case, consent=False, send=False)
    child = victims(case)[0]
    with pytest.raises(ReferralError) as error:
        referral_consent_record(actor=personas["eri_responder"], referral=draft, person=child, granted=True)
    assert error.value.code == "child_alone"
    # A consent written directly without guardian or authority (e.g. an import) does not count either.
    Consent.objects.create(
        case=case,
        person=child,
        purpose=ConsentPurpose.REFERRAL,
        referral_id=draft.pk,
        granted=True,
        recorded_by=personas["eri_responder"],
        recorded_at=timezone.now(),
    )
    with pytest.raises(ReferralError) as error:
        services.referral_send(actor=personas["eri_responder"], referral=draft)
    assert error.value.code == "consent_missing"
    referral_consent_record(
        actor=personas["eri_responder"],
        referral=draft,
        person=child,
        granted=True,
        authority=Institution.objects.get(code="senaf"),
    )
    assert services.referral_send(actor=personas["eri_responder"], referral=draft).status == ReferralStatus.SENT


def test_override_needs_the_permission(personas: dict[str, Any]) -> None:
    draft = make_referral(personas, consent=False, send=False)
    with pytest.raises(ReferralError) as error:
        referral_consent_override(actor=personas["eri_responder"], referral=draft, reason="Riesgo de vida")
    assert error.value.code == "override_not_allowed"
    # A supervisor of another institution does not even see the draft.
    with pytest.raises(PermissionDenied):
        referral_consent_override(actor=personas["supervisor_health"], referral=draft, reason="x")
    draft.refresh_from_db()
    assert draft.consent_override_at is None


def test_supervisor_override_with_reason_lets_the_sender_send(personas: dict[str, Any]) -> None:
    draft = make_referral(personas, consent=False, send=False)
    with pytest.raises(ReferralError) as error:
        referral_consent_override(actor=personas["supervisor"], referral=draft, reason=" ")
    assert error.value.field == "consent_override_reason"
    referral_consent_override(
        actor=personas["supervisor"], referral=draft, reason="Peligro inminente; fiscalía debe actuar"
    )
    sent = services.referral_send(actor=personas["eri_responder"], referral=draft)
    assert sent.status == ReferralStatus.SENT
    assert sent.consent_override_by == personas["supervisor"]
    assert AuditEvent.objects.filter(
        object_id=str(draft.pk), reason="Peligro inminente; fiscalía debe actuar", actor=personas["supervisor"]
    ).exists()


def test_team_supervisor_sends_with_override_in_one_step(personas: dict[str, Any]) -> None:
    case = make_case(personas)
    eri = Institution.objects.get(code="eri")
    case.refresh_from_db()
    case_member_add(
        actor=personas["eri_responder"], case=case, version=case.version, user=personas["supervisor"], institution=eri
    )
    referral = services.referral_create(
        actor=personas["supervisor"],
        case=case,
        persons=victims(case),
        service=service("mp", "prosecution"),
        urgency="emergency",
        shared_sections=["basic"],
        consent_override_reason="Menor en peligro",
        send=True,
    )
    assert referral.status == ReferralStatus.SENT and referral.consent_override_reason == "Menor en peligro"
