"""Registering a person in a case suggests likely duplicates first: only among the persons the user
may open, with a link to them; submitting again saves a different person."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ruta.cases.models import Case
from ruta.persons.models import AgeGroup, Person, Sex
from ruta.persons.services import IdentityInput
from tests.cases import factories

pytestmark = pytest.mark.django_db

MARIA = {"given_names": "María", "family_names": "López Reyes", "sex": "female", "age_group": "adult"}


def _open_data(person: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "lead_institution": factories.institution("eri").pk,
        "municipality": "0501",
        "exploitation": "sexual",
        "opened_on": timezone.localdate().isoformat(),
        "victims-TOTAL_FORMS": 3,
        "victims-INITIAL_FORMS": 0,
    }
    for index in range(3):
        row = person if index == 0 else {}
        data[f"victims-{index}-sex"] = row.get("sex", "unknown")
        data[f"victims-{index}-age_group"] = row.get("age_group", "unknown")
        for key in ("given_names", "family_names", "birth_date", "age_years", "nationality"):
            data[f"victims-{index}-{key}"] = row.get(key, "")
    return {**data, **extra}


def test_open_case_shows_likely_duplicates_before_saving(client: Client, personas: Any) -> None:
    eri = personas["eri_responder"]
    existing = factories.victim(factories.open_case(eri))  # María López Reyes, on eri's team
    client.force_login(eri)
    cases = Case.objects.count()
    response = client.post(reverse("cases:open"), _open_data({**MARIA, "given_names": "Maria"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This person may already be registered" in page
    assert f'href="{reverse("persons:detail", args=[existing.reference])}"' in page
    assert "López Reyes" in page  # eri may see this identity (their team's case)
    assert Case.objects.count() == cases
    # A forged or stale marker does not skip the check.
    assert client.post(reverse("cases:open"), _open_data(MARIA, duplicates_seen="1")).status_code == 200
    # A different person after all: submitting again saves (a lost accent is no change).
    response = client.post(reverse("cases:open"), _open_data(MARIA, duplicates_seen=_seen(page)))
    assert response.status_code == 302
    assert Case.objects.count() == cases + 1


def test_no_likely_duplicate_saves_at_once(client: Client, personas: Any) -> None:
    eri = personas["eri_responder"]
    factories.open_case(eri)
    client.force_login(eri)
    other = {"given_names": "Wendy", "family_names": "Castellanos", "sex": "female", "age_group": "adult"}
    assert client.post(reverse("cases:open"), _open_data(other)).status_code == 302


def test_persons_the_user_may_not_open_are_never_suggested(client: Client, personas: Any) -> None:
    # María is in a Casa Alianza case: the ERI responder is not on its team and must not learn of her.
    factories.open_case(personas["caseworker_ngo"], lead="casa-alianza")
    client.force_login(personas["eri_responder"])
    response = client.post(reverse("cases:open"), _open_data(MARIA))
    assert response.status_code == 302  # saved without a suggestion: nothing revealed
    assert Person.objects.count() == 2


def test_adding_a_person_to_a_case_suggests_duplicates(client: Client, personas: Any) -> None:
    eri = personas["eri_responder"]
    first = factories.open_case(
        eri,
        victims=[
            factories.services.PersonInput(
                sex=Sex.FEMALE,
                age_years=45,
                age_group=AgeGroup.ADULT,
                identity=IdentityInput(given_names="Rosa Elena", family_names="Mejía"),
            )
        ],
    )
    mother = factories.victim(first)
    case = factories.open_case(eri)
    client.force_login(eri)
    url = reverse("cases:person_add", kwargs={"reference": case.reference})
    data = {
        "version": case.version,
        "role": "guardian",
        "given_names": "Rosa Elena",
        "family_names": "Mejía",
        "sex": "female",
        "age_group": "adult",
        "age_years": 45,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert f'data-duplicate="{mother.reference}"' in response.content.decode()
    assert case.persons.count() == 1
    response = client.post(url, {**data, "duplicates_seen": _seen(response.content.decode())})
    assert response.status_code == 302
    assert case.persons.count() == 2


def _seen(page: str) -> str:
    import re

    match = re.search(r'name="duplicates_seen" value="([0-9a-f]+)"', page)
    assert match, "the page carries what it checked"
    return match.group(1)


def test_common_name_asks_for_what_tells_namesakes_apart(client: Client, personas: Any) -> None:
    """Several registered persons named alike and nothing else to go on: no one is suggested, the
    form asks for the birth date, age or second family name; adding one checks again."""
    eri = personas["eri_responder"]
    for born in ("1990-03-04", "1995-07-08", "2001-11-12"):
        factories.open_case(
            eri,
            victims=[
                factories.services.PersonInput(
                    sex=Sex.FEMALE,
                    age_group=AgeGroup.ADULT,
                    identity=IdentityInput(given_names="Karla", family_names="Mejía Bonilla", birth_date=born),
                )
            ],
        )
    client.force_login(eri)
    cases = Case.objects.count()
    karla = {"given_names": "Karla", "family_names": "Mejía", "sex": "female", "age_group": "adult"}
    page = client.post(reverse("cases:open"), _open_data(karla)).content.decode()
    assert 'data-duplicates-crowded="1"' in page and "data-duplicate=" not in page
    assert Case.objects.count() == cases
    # The birth date of one of them is added: checked again, and that one is suggested.
    dated = {**karla, "birth_date": "1995-07-08"}
    page = client.post(reverse("cases:open"), _open_data(dated, duplicates_seen=_seen(page))).content.decode()
    assert "data-duplicate=" in page and 'data-duplicates-crowded="1"' not in page
    assert Case.objects.count() == cases
    # Submitted again unchanged: saved (a different person after all).
    response = client.post(reverse("cases:open"), _open_data(dated, duplicates_seen=_seen(page)))
    assert response.status_code == 302 and Case.objects.count() == cases + 1
