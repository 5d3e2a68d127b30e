from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from ruta.persons import matching, selectors
from tests.persons.factories import case_world, make_person

PANEL = re.compile(r'<details class="duplicate-candidates"( open)?>')


@pytest.fixture
def world(personas: dict[str, Any]) -> dict[str, Any]:
    return case_world(personas)


def test_panel_opens_for_a_likely_duplicate_and_says_why(
    world: dict[str, Any], client: Any, personas: dict[str, Any]
) -> None:
    # The twin shares names (one spelt differently), birth date and sex: likely the same person.
    # The supervisor merges without seeing identities: the reasons name parts, never their values.
    for persona, name in (("eri_responder", "persons:edit"), ("supervisor", "persons:duplicates")):
        client.force_login(personas[persona])
        html = client.get(reverse(name, args=[world["person"].reference])).content.decode()
        assert world["twin"].reference in html
        assert [match.group(1) for match in PANEL.finditer(html)] == [" open"], name
        why = html.split("data-why>", 1)[1].split("</small>", 1)[0]
        assert all(part in why for part in ("family names", "given names", "birth date", "sex")), why
    assert "Hernández" not in html and "2010" not in html


def test_panel_stays_closed_for_a_weak_candidate(world: dict[str, Any], client: Any, personas: dict[str, Any]) -> None:
    # The same names without a birth date on one side are never confident: names alone do not
    # single out one person.
    owner = personas["eri_responder"]
    person = make_person(owner, given_names="Ana Lucía", family_names="Pérez Gómez", birth_date="2001-02-03")
    namesake = make_person(owner, given_names="Ana Lucia", family_names="Perez Gomez")
    found = selectors.person_duplicates(actor=owner, person=person)
    assert [c.person for c in found] == [namesake] and found[0].score < matching.CONFIDENT
    assert found[0].agreed == ("family_names", "given_names", "sex")
    client.force_login(owner)
    html = client.get(reverse("persons:edit", args=[person.reference])).content.decode()
    assert namesake.reference in html
    assert [match.group(1) for match in PANEL.finditer(html)] == [None]
    why = html.split("data-why>", 1)[1].split("</small>", 1)[0]
    assert "family names" in why and "given names" in why and "birth date" not in why
