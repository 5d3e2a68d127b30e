"""Issue 20: the referral form reads top-down — each group's label above its checkboxes, the case's
only person already ticked, the case number a link back to the case."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from ruta.cases.services import case_open
from ruta.geo.models import Municipality
from ruta.persons.services import IdentityInput, person_register
from tests.referrals.factories import make_case, victims


def _page(client: Client, personas: dict[str, Any], case: Any) -> str:
    client.force_login(personas["eri_responder"])
    response = client.get(reverse("referrals:new") + f"?case={case.reference}")
    assert response.status_code == 200
    return response.content.decode()


def _group(page: str, name: str) -> str:
    """The fieldset holding the checkboxes named ``name``."""
    for fieldset in re.findall(r"<fieldset class=\"choice-group\">.*?</fieldset>", page, re.S):
        if f'name="{name}"' in fieldset:
            return str(fieldset)
    raise AssertionError(f"no fieldset for {name}")


def test_checkbox_groups_have_their_label_above_as_a_legend(client: Client, personas: dict[str, Any]) -> None:
    page = _page(client, personas, make_case(personas))
    persons = _group(page, "persons")
    assert re.match(r"<fieldset class=\"choice-group\">\s*<legend>Persons referred", persons)
    assert persons.index("<legend>") < persons.index('type="checkbox"')
    sections = _group(page, "shared_sections")
    assert "<legend>Sections shared with the receiving institution" in sections
    # No label wraps a whole group (it used to, with the group's name after its checkboxes).
    assert not re.search(r"<label[^>]*>\s*<div[^>]*>\s*<div>\s*<label", page)


def test_the_only_person_is_ticked(client: Client, personas: dict[str, Any]) -> None:
    case = make_case(personas)
    person = victims(case)[0]
    persons = _group(_page(client, personas, case), "persons")
    assert re.search(rf'<input type="checkbox" name="persons" value="{person.pk}"[^>]*checked', persons)


def test_with_several_persons_none_is_ticked(client: Client, personas: dict[str, Any]) -> None:
    actor = personas["eri_responder"]
    institution = actor.memberships.get().institution
    two = [
        person_register(actor=actor, institution=institution, age_years=age, identity=IdentityInput(given_names=name))
        for age, name in ((30, "Ana"), (34, "Berta"))
    ]
    case = case_open(
        actor=actor,
        lead_institution=institution,
        presumed_victims=two,
        municipality=Municipality.objects.get(code="0801"),
    )
    persons = _group(_page(client, personas, case), "persons")
    assert persons.count('name="persons"') == 2
    assert "checked" not in persons


def test_the_case_number_links_to_the_case(client: Client, personas: dict[str, Any]) -> None:
    case = make_case(personas)
    heading = re.search(r"<h1>(.*?)</h1>", _page(client, personas, case), re.S)
    assert heading
    assert f'<a href="{reverse("cases:detail", args=[case.reference])}">{case.reference}</a>' in heading.group(1)
