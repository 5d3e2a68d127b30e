from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ruta.audit.models import AuditAction, AuditEvent
from ruta.cases.models import CasePerson, Consent
from ruta.persons import selectors
from ruta.persons.models import Person, PersonIdentity, PersonMatchSignature, PersonSearchToken
from ruta.persons.services import IdentityInput, person_merge, person_tokens_rebuild, person_update
from tests.persons.factories import case_world, make_person

NAME = "María José"


@pytest.fixture
def world(personas: dict[str, Any]) -> dict[str, Any]:
    return case_world(personas)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("eri_responder", "identity"),  # registered the person and is on the case team
        ("legal_liaison", "pseudonymous"),  # case team, but no PERSON_VIEW_IDENTITY
        ("supervisor", "pseudonymous"),  # institution scope for cases, identity only for the team
        ("analyst", 404),
        ("caseworker", 404),
        ("caseworker_ngo", 404),
        ("supervisor_health", 404),
        ("eri_responder_north", 404),
        ("labour_inspector", 404),
        ("administrator", 404),
    ],
)
def test_identity_gating_on_page_and_api(
    world: dict[str, Any], client: Any, api_as: Any, personas: dict[str, Any], persona: str, expected: Any
) -> None:
    person = world["person"]
    client.force_login(personas[persona])
    page = client.get(reverse("persons:detail", args=[person.reference]))
    api = api_as(persona).get(reverse("api:person-detail", args=[person.reference]))
    if expected == 404:
        assert page.status_code == 404 and api.status_code == 404
        assert not AuditEvent.objects.filter(actor=personas[persona], action=AuditAction.READ).exists()
        return
    html = page.content.decode()
    assert page.status_code == 200 and api.status_code == 200
    assert person.reference in html
    if expected == "identity":
        assert NAME in html and api.json()["identity"]["given_names"] == NAME
    else:
        assert NAME not in html and "Hernández" not in html
        assert "identity" not in api.json() and api.json()["identity_visible"] is False
    reads = AuditEvent.objects.filter(actor=personas[persona], action=AuditAction.READ, object_id=str(person.pk))
    assert reads.count() == 2  # the page and the API


def test_identity_is_encrypted_at_rest(world: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT given_names, family_names, birth_date FROM {PersonIdentity._meta.db_table}")
        rows = cursor.fetchall()
    assert rows and all(value.startswith("v1:") for row in rows for value in row)
    assert not PersonSearchToken.objects.filter(token__icontains="maria").exists()


def _form(person: Person, **changes: Any) -> dict[str, Any]:
    data = {
        "version": person.version,
        "given_names": NAME,
        "family_names": "Hernández López",
        "birth_date": "2010-05-04",
        "age_group": "unknown",
        "sex": "female",
        "migration_status": "unknown",
        "phones": "9999-0000",
    }
    data.update(changes)
    return data


def test_edit_saves_and_stale_edit_conflicts_without_losing_input(
    world: dict[str, Any], client: Any, personas: dict[str, Any]
) -> None:
    person = world["person"]
    client.force_login(personas["eri_responder"])
    url = reverse("persons:edit", args=[person.reference])
    stale = _form(person, family_names="Hernández Mejía")
    saved = client.post(url, _form(person, notes="Vive con su tía"))
    assert saved.status_code == 302
    person.refresh_from_db()
    assert person.version == 2 and PersonIdentity.objects.get(person=person).notes == "Vive con su tía"
    update = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(person.pk))
    assert "notes" in update.changes and "Vive" not in str(update.changes)  # no plaintext in the audit log
    conflict = client.post(url, stale)
    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "Someone else saved this person" in html
    assert 'value="Hernández Mejía"' in html  # the user's input is kept
    assert "Vive con su tía" in html  # the other person's values are shown
    assert 'name="version" value="2"' in html
    assert PersonIdentity.objects.get(person=person).family_names == "Hernández López"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"age_years": "121", "birth_date": ""}, "age_years"),
        ({"age_years": "30"}, "age_years"),  # born 2010: not 30
        ({"age_years": "12", "birth_date": "", "age_group": "adult"}, "age_group"),
        ({"emails": "not-an-email"}, "emails"),
    ],
)
def test_edit_validation(
    world: dict[str, Any], client: Any, personas: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    person = world["person"]
    client.force_login(personas["eri_responder"])
    response = client.post(reverse("persons:edit", args=[person.reference]), _form(person, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    person.refresh_from_db()
    assert person.version == 1


def test_update_rebuilds_tokens_and_rejects_stale_versions(world: dict[str, Any], personas: dict[str, Any]) -> None:
    person = world["person"]
    # Every token that carries a name changes with the name (the birth date alone stays the same).
    named = PersonSearchToken.objects.filter(person=person).exclude(kind="d2")
    before = set(named.values_list("token", flat=True))
    person_update(
        actor=personas["eri_responder"],
        person=person,
        expected_version=1,
        identity=IdentityInput(given_names="Keila", family_names="Banegas", birth_date="2010-05-04"),
        attributes={},
    )
    after = set(named.values_list("token", flat=True))
    assert after and before.isdisjoint(after)
    from ruta.persons.services import PersonConflict

    with pytest.raises(PersonConflict):
        person_update(
            actor=personas["eri_responder"], person=person, expected_version=1, identity=IdentityInput(), attributes={}
        )


def test_tokens_rebuild_is_idempotent(world: dict[str, Any]) -> None:
    person = world["person"]
    first = sorted(PersonSearchToken.objects.filter(person=person).values_list("kind", "token"))
    assert person_tokens_rebuild(person) == len(first)
    assert sorted(PersonSearchToken.objects.filter(person=person).values_list("kind", "token")) == first


def test_duplicates_found_within_scope_only(world: dict[str, Any], personas: dict[str, Any]) -> None:
    person, twin = world["person"], world["twin"]
    found = selectors.person_duplicates(actor=personas["eri_responder"], person=person)
    assert [c.person for c in found] == [twin] and found[0].identity is not None
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, object_id=str(person.pk)).exists()
    # Another institution registers the same name: never suggested to the ERI, nor the ERI's to them.
    other = make_person(
        personas["caseworker_ngo"],
        "casa-alianza",
        given_names=NAME,
        family_names="Hernández López",
        birth_date="2010-05-04",
    )
    assert other not in [c.person for c in selectors.person_duplicates(actor=personas["eri_responder"], person=person)]
    assert selectors.person_duplicates(actor=personas["caseworker_ngo"], person=other) == []
    # The supervisor (institution scope) sees the candidates but not their names.
    supervised = selectors.person_duplicates(actor=personas["supervisor"], person=person)
    assert [c.person for c in supervised] == [twin] and supervised[0].identity is None


def test_edit_page_shows_candidates_with_fixed_query_count(
    world: dict[str, Any], client: Any, personas: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for number in range(3):
        make_person(
            personas["eri_responder"],
            given_names="María José",
            family_names="Hernández López",
            birth_date=f"2010-05-0{number + 5}",
        )
    client.force_login(personas["eri_responder"])
    url = reverse("persons:edit", args=[world["person"].reference])
    client.get(url)  # warm caches (session, grants)
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert world["twin"].reference in response.content.decode()
    make_person(
        personas["eri_responder"], given_names="Maria José", family_names="Hernandez Lopez", birth_date="2010-05-04"
    )
    with django_assert_num_queries(len(first.captured_queries) + 1):  # one more audited candidate read
        client.get(url)


def test_merge_moves_history_and_redirects(world: dict[str, Any], client: Any, personas: dict[str, Any]) -> None:
    person, twin, case = world["person"], world["twin"], world["case"]
    from ruta.cases.services import case_open
    from ruta.institutions.models import Institution

    other_case = case_open(
        actor=personas["eri_responder"],
        lead_institution=Institution.objects.get(code="eri"),
        presumed_victims=[twin, person],
    )
    consent = Consent.objects.create(
        case=other_case,
        person=twin,
        purpose="case_work",
        granted=True,
        recorded_by=personas["eri_responder"],
        recorded_at=other_case.opened_at,
    )
    PersonIdentity.objects.filter(person=twin).update(phones=["9876-5432"])  # encrypted by the field
    client.force_login(personas["supervisor"])
    review = client.get(reverse("persons:duplicates", args=[person.reference]))
    assert twin.reference in review.content.decode()
    response = client.post(
        reverse("persons:merge", args=[person.reference, twin.reference]), {"confirm": "on", "reason": "same child"}
    )
    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into == person
    assert set(CasePerson.objects.filter(case=other_case).values_list("person_id", flat=True)) == {person.pk}
    assert CasePerson.objects.filter(case=case, person=person).exists()
    consent.refresh_from_db()
    assert consent.person == person
    identity = PersonIdentity.objects.get(person=person)
    assert identity.phones == ["9876-5432"]
    assert not PersonSearchToken.objects.filter(person=twin).exists()
    assert not PersonMatchSignature.objects.filter(person=twin).exists()
    merges = AuditEvent.objects.filter(action=AuditAction.MERGE)
    assert {e.object_id for e in merges} == {str(person.pk), str(twin.pk)} and merges[0].reason == "same child"
    assert other_case.events.filter(kind="person_merged").exists()
    client.force_login(personas["eri_responder"])
    redirect = client.get(reverse("persons:detail", args=[twin.reference]))
    assert redirect.status_code == 302 and redirect["Location"].endswith(f"/persons/{person.reference}/")
    api = client.get(reverse("api:person-detail", args=[twin.reference]))
    assert api.json() == {"reference": twin.reference, "merged_into": person.reference}


def test_merge_refused_outside_scope(world: dict[str, Any], personas: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    other = make_person(personas["caseworker_ngo"], "casa-alianza", given_names=NAME, family_names="Hernández López")
    with pytest.raises(PermissionDenied):
        person_merge(actor=personas["supervisor"], survivor=world["person"], duplicate=other)
    other.refresh_from_db()
    assert other.merged_into is None
    assert not AuditEvent.objects.filter(action=AuditAction.MERGE).exists()


def test_api_duplicates(world: dict[str, Any], api_as: Any) -> None:
    body = api_as("eri_responder").get(reverse("api:person-duplicates", args=[world["person"].reference])).json()
    assert [c["reference"] for c in body["candidates"]] == [world["twin"].reference]
    assert body["candidates"][0]["given_names"] == "Maria Jose"
    body = api_as("legal_liaison").get(reverse("api:person-duplicates", args=[world["person"].reference])).json()
    assert body["candidates"] == []  # the twin is outside the liaison's team


def test_database_index_ranks_a_shared_birth_date_first(
    personas: dict[str, Any], django_assert_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ruta.persons import matching
    from ruta.persons.blocking import search_keys
    from ruta.persons.names import NameRecord, parse_birth_date

    owner = personas["eri_responder"]
    for number in range(30):
        make_person(owner, given_names="Karla", family_names="Hernández López", birth_date=f"19{60 + number}-03-04")
    truth = make_person(owner, given_names="Karla", family_names="Hrenández López", birth_date="2001-05-06")
    query = NameRecord("Karla", "Hernández López", parse_birth_date("2001-05-06"), "female")
    index = selectors.DatabaseIndex(Person.objects.all())
    with django_assert_num_queries(1):
        ranked = index.candidates(search_keys(query), 10)
    assert ranked[0] == truth.pk and len(ranked) == 10
    monkeypatch.setattr(matching, "MAX_CANDIDATES", 10)
    found = selectors.record_duplicates(actor=owner, record=query)
    assert [c.person for c in found] == [truth]


def test_a_changed_age_reaches_the_match_signature(world: dict[str, Any], personas: dict[str, Any]) -> None:
    """Without a birth date, the recorded age is what tells namesakes apart: editing it must
    rebuild the signature, or the search would keep comparing the old age."""
    person = world["person"]

    def set_age(age: int, version: int) -> list[str]:
        person_update(
            actor=personas["eri_responder"],
            person=person,
            expected_version=version,
            identity=IdentityInput(given_names="Keila", family_names="Banegas"),
            attributes={"age_years": age},
        )
        return PersonMatchSignature.objects.get(person=person).data["y"]

    young = set_age(15, 1)
    assert set(set_age(40, 2)).isdisjoint(young)
