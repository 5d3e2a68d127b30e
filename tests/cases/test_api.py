"""The case API: pseudonymous lists, identities only for the team, validation, conflicts."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ruta.cases.models import Case, CaseClosure, Consent
from ruta.core.models import IdempotencyRecord
from ruta.persons.models import Person
from tests.cases import factories

OPEN = {
    "municipality": "0501",
    "exploitation": "sexual",
    "victims": [{"given_names": "Lucía", "family_names": "Paz", "birth_date": "2010-03-01", "sex": "female"}],
}


def test_open_registers_victims_and_is_idempotent(api_as: Any, personas: dict[str, Any]) -> None:
    api = api_as("eri_responder")
    first = api.post("/api/v1/cases/", {**OPEN, "idempotency_key": "k-1"}, format="json")
    assert first.status_code == 201, first.json()
    again = api.post("/api/v1/cases/", {**OPEN, "idempotency_key": "k-1"}, format="json")
    assert again.json() == first.json()
    case = Case.objects.get()
    assert case.lead_institution.code == "eri" and case.has_child  # born 2010: a child
    assert Person.objects.get().age_group == "child"
    assert IdempotencyRecord.objects.count() == 1


def test_open_rejects_bad_input_and_saves_nothing(api_as: Any, personas: dict[str, Any]) -> None:
    api = api_as("eri_responder")
    future = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    response = api.post(
        "/api/v1/cases/",
        {
            "lead_institution": "sesal",
            "municipality": "9999",
            "exploitation": "nonsense",
            "victims": [{"birth_date": future, "age_years": -1}],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"lead_institution", "municipality", "exploitation", "victims.0.birth_date", "victims.0.age_years"} <= set(
        errors
    )
    assert errors["lead_institution"][0]["code"] == "not_yours"
    assert not Case.objects.exists() and not Person.objects.exists()
    empty = api.post("/api/v1/cases/", {**OPEN, "victims": []}, format="json")
    assert empty.status_code == 400
    assert empty.json()["errors"]["victims.non_field_errors"][0]["code"] == "empty"


def test_detail_shows_identity_to_the_team_only(api_as: Any, personas: dict[str, Any]) -> None:
    case = factories.open_case(personas["eri_responder"])
    team = api_as("eri_responder").get(f"/api/v1/cases/{case.reference}/").json()
    assert team["persons"][0]["identity"]["given_names"] == "María"
    supervisor = api_as("supervisor").get(f"/api/v1/cases/{case.reference}/")
    assert supervisor.status_code == 200
    assert "identity" not in supervisor.json()["persons"][0]
    assert "María" not in supervisor.content.decode()
    listing = api_as("eri_responder").get("/api/v1/cases/").json()
    assert listing["count"] == 1 and "María" not in str(listing)
    for outsider in ("caseworker", "caseworker_ngo", "eri_responder_north", "analyst", "legal_liaison"):
        assert api_as(outsider).get(f"/api/v1/cases/{case.reference}/").status_code == 404, outsider


def test_stale_version_is_a_conflict(api_as: Any, personas: dict[str, Any]) -> None:
    case = factories.open_case(personas["eri_responder"])
    api = api_as("eri_responder")
    person = factories.victim(case).reference
    body = {"version": case.version, "person": person, "purpose": "case_work", "granted": True}
    assert api.post(f"/api/v1/cases/{case.reference}/consents/", body, format="json").status_code == 201
    stale = api.post(f"/api/v1/cases/{case.reference}/consents/", {**body, "purpose": "statistics"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["errors"]["non_field_errors"][0]["code"] == "conflict"
    assert Consent.objects.count() == 1


def test_closure_before_opening_is_rejected(api_as: Any, personas: dict[str, Any]) -> None:
    case = factories.open_case(personas["eri_responder"], days_ago=3)
    before = (timezone.localdate() - timezone.timedelta(days=10)).isoformat()
    response = api_as("eri_responder").post(
        f"/api/v1/cases/{case.reference}/closure/",
        {"version": case.version, "reason": "plan_completed", "closed_on": before},
        format="json",
    )
    assert response.status_code == 400
    assert "closed_on" in response.json()["errors"]
    assert not CaseClosure.objects.exists()
    assert factories.fresh(case).version == case.version
