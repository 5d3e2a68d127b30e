"""The recipient sees only the shared sections, pseudonymous unless identity was shared; every read
is audit-logged; other institutions and the rest of the case stay 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ruta.audit.models import AuditEvent
from ruta.cases.permissions import CasePermission
from ruta.referrals import services
from ruta.referrals.models import LegalMilestone
from tests.referrals.factories import SECRET_FAMILY, SECRET_NAME, accepted_referral, make_referral, victims

pytestmark = pytest.mark.django_db


def test_recipient_sees_pseudonymous_basic_data_only(personas: dict[str, Any], client: Any) -> None:
    referral = make_referral(personas, sections=["basic"])
    person = victims(referral.case)[0]
    client.force_login(personas["caseworker"])
    response = client.get(reverse("referrals:detail", args=[referral.reference]))
    assert response.status_code == 200
    page = response.content.decode()
    assert person.reference in page
    assert SECRET_NAME not in page and SECRET_FAMILY not in page
    assert referral.case.reference not in page  # no handle on the rest of the case
    assert AuditEvent.objects.filter(actor=personas["caseworker"], action="read", object_id=str(person.pk)).exists()
    assert AuditEvent.objects.filter(actor=personas["caseworker"], action="read", object_id=str(referral.pk)).exists()


def test_recipient_sees_identity_when_shared(personas: dict[str, Any], client: Any, api_as: Any) -> None:
    referral = make_referral(personas, sections=["basic", "identity"])
    client.force_login(personas["caseworker"])
    page = client.get(reverse("referrals:detail", args=[referral.reference])).content.decode()
    assert SECRET_NAME in page
    body = api_as("caseworker").get(reverse("api:referral-detail", args=[referral.reference])).json()
    assert body["shared"]["persons"][0]["identity"]["given_names"] == SECRET_NAME
    assert "case" not in body


def test_api_without_identity_has_no_names(personas: dict[str, Any], api_as: Any) -> None:
    referral = make_referral(personas, sections=["basic"])
    body = api_as("supervisor_health").get(reverse("api:referral-detail", args=[referral.reference])).json()
    assert "identity" not in body["shared"]["persons"][0]
    assert SECRET_NAME not in str(body)
    assert "legal" not in body["shared"] and "plan" not in body["shared"]


def test_recipient_never_gets_the_case(personas: dict[str, Any], client: Any) -> None:
    from ruta.cases.models import Case
    from ruta.policy import access

    referral = make_referral(personas, sections=["basic", "identity", "legal"])
    for key in ("caseworker", "supervisor_health"):
        assert not access.visible(personas[key], CasePermission.VIEW, Case.objects.filter(pk=referral.case_id)).exists()


@pytest.mark.parametrize("key", ["caseworker_ngo", "legal_liaison", "eri_responder_north", "analyst", "administrator"])
def test_other_institutions_get_404(personas: dict[str, Any], client: Any, api_as: Any, key: str) -> None:
    referral = make_referral(personas, sections=["basic", "identity"])
    client.force_login(personas[key])
    assert client.get(reverse("referrals:detail", args=[referral.reference])).status_code == 404
    assert api_as(key).get(reverse("api:referral-detail", args=[referral.reference])).status_code == 404


def test_drafts_are_not_shown_to_the_recipient(personas: dict[str, Any], client: Any) -> None:
    draft = make_referral(personas, consent=False, send=False)
    client.force_login(personas["caseworker"])
    assert client.get(reverse("referrals:detail", args=[draft.reference])).status_code == 404


def test_legal_milestones(personas: dict[str, Any], client: Any) -> None:
    referral = accepted_referral(personas, to=("mp", "prosecution"), sections=["basic"])
    # Only the prosecutor's liaison records them, and only once the referral is accepted.
    with pytest.raises(PermissionDenied):
        services.legal_milestone_record(
            actor=personas["caseworker"], referral=referral, kind="complaint_filed", occurred_on=timezone.localdate()
        )
    client.force_login(personas["legal_liaison"])
    response = client.post(
        reverse("referrals:milestone", args=[referral.reference]),
        {
            "kind": "investigation_opened",
            "occurred_on": timezone.localdate().isoformat(),
            "notes": "Expediente abierto",
        },
    )
    assert response.status_code == 302
    milestone = LegalMilestone.objects.get()
    assert milestone.institution.code == "mp" and milestone.case_id == referral.case_id
    # Shown to them and to the case team.
    assert "Expediente abierto" in client.get(reverse("referrals:detail", args=[referral.reference])).content.decode()
    client.force_login(personas["eri_responder"])
    assert "Expediente abierto" in client.get(reverse("referrals:detail", args=[referral.reference])).content.decode()
    # A future date is refused and saves nothing.
    client.force_login(personas["legal_liaison"])
    response = client.post(
        reverse("referrals:milestone", args=[referral.reference]), {"kind": "trial", "occurred_on": "2999-01-01"}
    )
    assert response.status_code == 400
    assert LegalMilestone.objects.count() == 1


def test_milestones_need_an_accepted_referral(personas: dict[str, Any]) -> None:
    referral = make_referral(personas, to=("mp", "prosecution"))
    with pytest.raises(PermissionDenied):
        services.legal_milestone_record(
            actor=personas["legal_liaison"], referral=referral, kind="complaint_filed", occurred_on=timezone.localdate()
        )
