"""The referral lists: sent / received tabs, filters, overdue marked, exact query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ruta.referrals.models import Referral
from tests.referrals.factories import make_referral

pytestmark = pytest.mark.django_db

# Session, user, the user's memberships (grants), middleware/context (navigation, notifications),
# the page count and the page itself: the same whatever the number of rows.
LIST_QUERIES = 8


def _count(client: Any, url: str, django_assert_num_queries: Any, expected: int) -> Any:
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("extra", [1, 6])
def test_received_list_query_count_is_fixed(
    personas: dict[str, Any], client: Any, django_assert_num_queries: Any, extra: int
) -> None:
    for _ in range(extra):
        make_referral(personas)
    client.force_login(personas["caseworker"])
    response = _count(client, reverse("referrals:list") + "?tab=received", django_assert_num_queries, LIST_QUERIES)
    assert len(response.context["page"].object_list) == extra


@pytest.mark.parametrize("extra", [1, 6])
def test_sent_list_query_count_is_fixed(
    personas: dict[str, Any], client: Any, django_assert_num_queries: Any, extra: int
) -> None:
    for _ in range(extra):
        make_referral(personas)
    client.force_login(personas["eri_responder"])
    response = _count(client, reverse("referrals:list") + "?tab=sent", django_assert_num_queries, LIST_QUERIES)
    assert len(response.context["page"].object_list) == extra


def test_tabs_filters_and_overdue(personas: dict[str, Any], client: Any) -> None:
    late = make_referral(personas)
    Referral.objects.filter(pk=late.pk).update(accept_due_at=timezone.now() - timedelta(hours=1))
    on_time = make_referral(personas, urgency="emergency")
    elsewhere = make_referral(personas, to=("casa-alianza", "shelter"))
    client.force_login(personas["caseworker"])
    page = client.get(reverse("referrals:list") + "?tab=received").content.decode()
    assert late.reference in page and on_time.reference in page and elsewhere.reference not in page
    assert "referral-overdue" in page
    page = client.get(reverse("referrals:list") + "?tab=received&overdue=on").content.decode()
    assert late.reference in page and on_time.reference not in page
    page = client.get(reverse("referrals:list") + "?tab=received&urgency=emergency").content.decode()
    assert on_time.reference in page and late.reference not in page
    # The receiving institution has no "sent" view of another institution's referrals.
    page = client.get(reverse("referrals:list") + "?tab=sent").content.decode()
    assert late.reference not in page
    client.force_login(personas["caseworker_ngo"])
    page = client.get(reverse("referrals:list") + "?tab=received").content.decode()
    assert elsewhere.reference in page and late.reference not in page


def test_api_list(personas: dict[str, Any], api_as: Any, django_assert_num_queries: Any) -> None:
    referral = make_referral(personas)
    client = api_as("supervisor_health")
    body = client.get(reverse("api:referrals") + "?tab=received").json()
    assert [row["reference"] for row in body["results"]] == [referral.reference]
    assert api_as("caseworker_ngo").get(reverse("api:referrals")).json()["results"] == []


def test_api_send_is_idempotent_and_uses_the_error_shape(personas: dict[str, Any], api_as: Any) -> None:
    from tests.referrals.factories import make_case, victims

    case = make_case(personas)
    person = victims(case)[0]
    body = {
        "case": case.reference,
        "persons": [person.reference],
        "institution": "sesal",
        "service": "health_care",
        "shared_sections": ["basic"],
        "idempotency_key": "abc-1",
    }
    client = api_as("eri_responder")
    response = client.post(reverse("api:referrals"), body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["consent"][0]["code"] == "consent_missing"
    assert not Referral.objects.exists()
    body["consents"] = [{"person": person.reference, "granted": True}]
    body["idempotency_key"] = "abc-2"
    first = client.post(reverse("api:referrals"), body, format="json")
    again = client.post(reverse("api:referrals"), body, format="json")
    assert first.status_code == 201 and again.status_code == 201
    assert first.json() == again.json()
    assert Referral.objects.count() == 1
    bad = client.post(
        reverse("api:referrals"), {**body, "idempotency_key": "abc-3", "shared_sections": ["x"]}, format="json"
    )
    assert bad.status_code == 400
    assert any(field.startswith("shared_sections") for field in bad.json()["errors"])
