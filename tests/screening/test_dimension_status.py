"""Issue 20: a dimension that is not positive says what was found and what the rule still needs,
never a bare "No"; a fallback to the labour list is said first; the rationale reads in the
reader's language; the exploitation type is chosen by the screener."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ruta.screening import engine
from ruta.screening.engine import ScreeningInput
from ruta.screening.rules import still_needed
from ruta.screening.services import screening_record_create
from tests.screening.test_engine import catalogue

# A 14-year-old girl in a bar, her documents withheld, screened for sexual exploitation.
GIRL_IN_A_BAR = {"age": "14", "presumed_child": "", "exploitation": "sexual", "indicators": ["THB-CL-CD-01"]}


def test_found_and_still_needed_per_dimension() -> None:
    result = engine.screen(catalogue(), ScreeningInput(14, False, "labour", ("C-CD-S1",)))
    cd = result.dimension_status["CD"]
    assert (cd.found, cd.met) == ({"strong": 1}, None)
    # The nearest clauses of the default rule table: one more strong, or one medium or weak.
    assert cd.needed == [{"strong": 1}, {"medium_or_weak": 1}]
    line = next(line for line in result.rationale if line.startswith("CD"))
    assert line == (
        "CD is not positive: 1 strong indicator found (C-CD-S1 (strong)); still needed besides these: "
        "1 strong indicator, or 1 medium or weak indicator."
    )
    # Dimensions with nothing recorded are named, with what any dimension needs.
    empty = next(line for line in result.rationale if line.startswith("No indicator recorded for"))
    assert "DR, CR, RV, EX, VD" in empty and "2 strong indicators, or 1 strong indicator and 1 medium" in empty


def test_a_positive_dimension_names_the_condition_met() -> None:
    result = engine.screen(catalogue(), ScreeningInput(30, False, "labour", ("A-DR-M1", "A-DR-M2", "A-DR-W1")))
    dr = result.dimension_status["DR"]
    assert (dr.found, dr.met, dr.needed) == ({"medium": 2, "weak": 1}, {"medium": 2, "weak": 1}, [])


def test_still_needed_follows_the_rule_table() -> None:
    assert still_needed([{"medium": 3}, {"medium": 2, "weak": 1}], {"medium": 1}) == [
        {"medium": 2},
        {"medium": 1, "weak": 1},
    ]
    assert still_needed([{"strong": 2}, {"any": 4}], {}) == [{"strong": 2}]


def test_the_fallback_is_said_first() -> None:
    result = engine.screen(catalogue(), ScreeningInput(14, False, "sexual", ("C-CD-S1",)))
    assert result.fallback
    assert result.rationale[0].startswith("No sexual-exploitation list for children is loaded yet")
    assert "child_labour" in result.rationale[0]


def test_the_stored_rationale_reads_in_the_readers_language() -> None:
    result = engine.screen(catalogue(), ScreeningInput(14, False, "sexual", ("C-CD-S1",)))
    record = result.as_record()
    assert all(isinstance(item, dict) and "msgid" in item for item in record["rationale"])
    from ruta.screening.display import display_result

    with translation.override("es"):
        spanish = display_result(record)["rationale"]
    with translation.override("fr"):
        french = display_result(record)["rationale"]
    assert spanish[0].startswith("Aún no hay una lista de explotación sexual")
    assert french[0] != result.rationale[0] and french[0] != spanish[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Found: 1 strong indicator; still needed besides these: 1 strong indicator, or 1 medium or weak indicator.",
        ),
        ("es", "Encontrado: 1 indicador fuerte; falta además: 1 indicador fuerte, o 1 indicador medio o débil."),
        ("fr", "Relevé : 1 indicateur fort ; il manque encore : 1 indicateur fort, ou 1 indicateur moyen ou faible."),
    ],
)
def test_screening_page_shows_found_and_still_needed_in_three_languages(
    client: Any, login: Any, language: str, expected: str
) -> None:
    login("eri_responder")
    body = client.post(reverse("screening:calculator"), GIRL_IN_A_BAR, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "screening-result" in body
    assert expected.replace("'", "&#x27;") in body
    table = body[body.index("<caption>") : body.index("</table>")]
    assert "screening-dimension-status" in table
    for bare in ("<td>No</td>", "<td>Non</td>"):
        assert bare not in table


@pytest.mark.django_db
def test_the_page_says_at_the_top_which_list_it_fell_back_to(personas: dict[str, Any]) -> None:
    record = screening_record_create(
        actor=personas["eri_responder"],
        subject_type="case_person",
        subject_id="9",
        age=14,
        presumed_child=None,
        exploitation="sexual",
        indicator_codes=["THB-CL-CD-01"],
    )
    html = render_to_string("screening/includes/result.html", {"screening_result": record.display})
    notice = html.index("screening-fallback")
    assert notice < html.index("screening-outcome")
    assert "child_sexual" in html[notice:] and "child_labour" in html[notice : html.index("screening-outcome")]


@pytest.mark.django_db
def test_once_the_official_list_is_imported_nothing_falls_back(client: Any, login: Any, personas: Any) -> None:
    from ruta.screening.services import indicator_list_replace

    login("eri_responder")
    post = {**GIRL_IN_A_BAR, "indicators": []}
    assert "screening-fallback" in client.post(reverse("screening:calculator"), post).content.decode()
    official = (
        "indicators:\n- {list: child_sexual, dimension: CD, code: CS-CD-01, label_en: Documents, strength: strong}\n"
    )
    indicator_list_replace(actor=personas["administrator"], list_code="child_sexual", content=official)
    body = client.post(reverse("screening:calculator"), {**post, "indicators": ["CS-CD-01"]}).content.decode()
    assert "screening-result" in body and "screening-fallback" not in body
    assert "List child_sexual, version" in body


def test_a_dimension_with_nothing_found_says_what_it_needs() -> None:
    from ruta.screening.display import dimension_explanation

    status = {"found": {}, "met": None, "needed": [{"strong": 2}, {"strong": 1, "medium_or_weak": 1}]}
    assert dimension_explanation(status, []) == (
        "Nothing found yet; a dimension needs at least 2 strong indicators, "
        "or 1 strong indicator and 1 medium or weak indicator."
    )
