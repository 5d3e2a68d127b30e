"""Children and referrals: a case with a child refers only after the child-protection authority was
notified, except the referral to the authority itself and an emergency referral to the police."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ruta.institutions.models import Institution
from ruta.referrals import services
from ruta.referrals.models import Referral, ReferralStatus, Urgency
from ruta.referrals.steps import ReferralError
from tests.referrals.factories import make_case, make_referral, notified, service, victims

pytestmark = pytest.mark.django_db

BLOCKED = "child_protection_not_notified"


def _refused(personas: dict[str, Any], case: Any, **kwargs: Any) -> ReferralError:
    with pytest.raises(ReferralError) as error:
        make_referral(personas, case, **kwargs)
    return error.value


def test_a_child_case_refers_only_after_the_authority_was_notified(personas: dict[str, Any]) -> None:
    case = make_case(personas, child=True)
    referrals = Referral.objects.count()
    error = _refused(personas, case)  # to the health service
    assert (error.code, error.field) == (BLOCKED, "service")
    with translation.override("en"):
        assert "notify the child-protection authority" in str(error.message)
    assert Referral.objects.count() == referrals  # create-and-send is one transaction
    # A draft may be prepared; sending it is what waits for the notification.
    draft = make_referral(personas, case, send=False)
    with pytest.raises(ReferralError) as sent:
        services.referral_send(actor=personas["eri_responder"], referral=draft)
    assert sent.value.code == BLOCKED
    draft.refresh_from_db()
    assert draft.status == ReferralStatus.DRAFT
    notified(personas, case)
    assert services.referral_send(actor=personas["eri_responder"], referral=draft).status == ReferralStatus.SENT


def test_the_referral_to_the_child_protection_authority_is_how_it_is_notified(personas: dict[str, Any]) -> None:
    case = make_case(personas, child=True)
    referral = make_referral(personas, case, to=("senaf", "child_protection"))
    assert referral.status == ReferralStatus.SENT


def test_an_emergency_referral_to_the_police_goes_first(personas: dict[str, Any]) -> None:
    case = make_case(personas, child=True)
    referral = make_referral(personas, case, to=("dpi", "protection"), urgency=Urgency.EMERGENCY)
    assert referral.status == ReferralStatus.SENT


@pytest.mark.parametrize(
    ("to", "urgency"),
    [
        (("dpi", "protection"), Urgency.HIGH),  # the police, but not an emergency
        (("mp", "prosecution"), Urgency.EMERGENCY),  # an emergency, but not the police
        (("casa-alianza", "shelter"), Urgency.EMERGENCY),
    ],
)
def test_other_referrals_of_a_child_case_wait(personas: dict[str, Any], to: tuple[str, str], urgency: str) -> None:
    case = make_case(personas, child=True)
    assert _refused(personas, case, to=to, urgency=urgency).code == BLOCKED


def test_adult_cases_are_not_concerned(personas: dict[str, Any]) -> None:
    assert make_referral(personas, make_case(personas)).status == ReferralStatus.SENT


def test_the_page_shows_the_reason(client: Any, personas: dict[str, Any]) -> None:
    case = make_case(personas, child=True)
    person = victims(case)[0]
    client.force_login(personas["eri_responder"])
    response = client.post(
        reverse("referrals:new") + f"?case={case.reference}",
        {
            "persons": [person.pk],
            "service": service("sesal", "health_care").pk,
            "urgency": "high",
            "shared_sections": ["basic"],
            "reason": "Control médico",
            f"consent_{person.pk}": "granted",
            f"authority_{person.pk}": Institution.objects.get(code="senaf").pk,
            "action": "send",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "notify the child-protection authority" in response.content.decode()
    assert not case.referrals.exists()
