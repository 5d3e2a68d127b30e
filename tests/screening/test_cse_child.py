"""Commercial sexual exploitation of a child (DESIGN §3 and §6, ``cse_child``): the engine, the
``screen`` command, the form and the result page with its suggested referrals."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from ruta.screening import engine
from ruta.screening.engine import ScreeningInput
from ruta.screening.errors import InvalidInputError
from ruta.screening.forms import ScreeningForm
from ruta.screening.models import ScreeningRecord
from ruta.screening.services import screening_record_create
from tests.screening.test_engine import catalogue

GIRL_IN_A_BAR = {"age": 14, "presumed_child": False, "exploitation": "sexual", "indicators": ["THB-CL-CD-01"]}


def screen(monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]) -> tuple[int, dict[str, Any] | None, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(data)))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("screen", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), None, err.getvalue()
    return 0, json.loads(out.getvalue()), err.getvalue()


# --- engine --------------------------------------------------------------------------------------


def test_the_fact_makes_a_child_at_least_possible_and_the_rationale_names_it() -> None:
    without = engine.screen(catalogue(), ScreeningInput(14, False, "sexual", ()))
    assert (without.outcome, without.cse_child) == ("not_indicated", False)
    result = engine.screen(catalogue(), ScreeningInput(14, False, "sexual", (), cse_child=True))
    assert (result.outcome, result.cse_child, result.child_rule) == ("possible", True, True)
    assert any("commercial sexual exploitation of a child" in line.lower() for line in result.rationale)
    assert result.suggested_referrals == ["police", "prosecutor", "child_protection"]
    assert without.suggested_referrals == []


def test_the_rule_table_still_decides_trafficking() -> None:
    codes = ("C-DR-S1", "C-DR-S2", "C-EX-S1", "C-EX-M1")
    result = engine.screen(catalogue(), ScreeningInput(14, False, "sexual", codes, cse_child=True))
    assert (result.outcome, result.cse_child) == ("trafficking", True)


def test_the_fact_is_refused_for_an_adult() -> None:
    with pytest.raises(InvalidInputError) as raised:
        engine.screen(catalogue(), ScreeningInput(30, False, "sexual", (), cse_child=True))
    assert "cse_child" in raised.value.errors
    with pytest.raises(InvalidInputError):
        engine.parse_input(
            {"age": None, "presumed_child": False, "exploitation": "sexual", "indicators": [], "cse_child": True}
        )
    # Age unknown and presumed a child (or not stated): allowed.
    assert engine.parse_input({"age": None, "exploitation": "sexual", "indicators": [], "cse_child": True}).cse_child


# --- manage.py screen ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_carries_the_fact(monkeypatch: pytest.MonkeyPatch) -> None:
    status, result, err = screen(monkeypatch, {**GIRL_IN_A_BAR, "indicators": [], "cse_child": True})
    assert status == 0, err
    assert result is not None
    assert (result["outcome"], result["cse_child"], result["child_rule"]) == ("possible", True, True)
    assert any("commercial sexual exploitation of a child" in line for line in result["rationale"])


@pytest.mark.django_db
def test_command_without_the_fact_is_exactly_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    _, omitted, _ = screen(monkeypatch, GIRL_IN_A_BAR)
    _, explicit, _ = screen(monkeypatch, {**GIRL_IN_A_BAR, "cse_child": False})
    assert omitted is not None and omitted == explicit
    assert omitted["cse_child"] is False and omitted["outcome"] == "possible"  # one strong indicator
    assert not any("commercial sexual exploitation" in line for line in omitted["rationale"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"age": 30, "exploitation": "sexual", "indicators": [], "cse_child": True},
        {"age": None, "presumed_child": False, "exploitation": "sexual", "indicators": [], "cse_child": True},
        {"age": 14, "exploitation": "sexual", "indicators": [], "cse_child": "yes"},
    ],
)
def test_command_refuses_the_fact_for_an_adult_or_not_a_boolean(monkeypatch: pytest.MonkeyPatch, data: Any) -> None:
    status, result, err = screen(monkeypatch, data)
    assert (status, result) == (2, None)
    assert "cse_child" in err


# --- form, record and page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_form_refuses_the_fact_for_an_adult_and_passes_it_for_a_child(personas: dict[str, Any]) -> None:
    adult = ScreeningForm({"age": "30", "exploitation": "sexual", "cse_child": "on"})
    assert not adult.is_valid() and "cse_child" in adult.errors
    child = ScreeningForm({"age": "14", "exploitation": "sexual", "cse_child": "on"})
    assert child.is_valid(), child.errors
    assert child.service_kwargs()["cse_child"] is True
    record = screening_record_create(
        actor=personas["eri_responder"], subject_type="case_person", subject_id="1", **child.service_kwargs()
    )
    assert record.result["cse_child"] is True and record.outcome == "possible"
    assert record.result["suggested_referrals"] == ["police", "prosecutor", "child_protection"]


@pytest.mark.django_db
def test_result_page_shows_the_fact_and_the_suggested_referrals(client: Any, login: Any) -> None:
    login("eri_responder")
    post = {"age": "14", "presumed_child": "", "exploitation": "sexual", "cse_child": "on", "indicators": []}
    body = client.post(reverse("screening:calculator"), post).content.decode()
    assert "outcome-possible" in body
    assert "Commercial sexual exploitation of a child recorded." in body
    assert "Suggested referrals: Police, Public prosecutor, Child protection." in body
    plain = client.post(reverse("screening:calculator"), {**post, "cse_child": ""}).content.decode()
    assert "Suggested referrals" not in plain and "outcome-not_indicated" in plain
    assert ScreeningRecord.objects.count() == 0
