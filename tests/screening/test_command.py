"""``python manage.py screen`` (DESIGN.md §6) on the catalogue a freshly migrated database holds."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

from ruta.screening.models import IndicatorList, RuleTable
from ruta.screening.services import indicator_list_replace

SHARED = Path(__file__).resolve().parents[3] / "shared" / "domain" / "screening_examples.yaml"
BUNDLED = Path(__file__).resolve().parents[2] / "ruta" / "screening" / "data" / "screening_examples.yaml"
EXAMPLES = yaml.safe_load((SHARED if SHARED.exists() else BUNDLED).read_text(encoding="utf-8"))
DIMENSIONS = {"DR", "CR", "RV", "EX", "CD", "VD"}


def screen(monkeypatch: pytest.MonkeyPatch, stdin: str | dict[str, Any]) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin if isinstance(stdin, str) else json.dumps(stdin)))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("screen", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_bundled_examples_are_the_shared_ones() -> None:
    assert yaml.safe_load(BUNDLED.read_text(encoding="utf-8")) == EXAMPLES


@pytest.mark.django_db
@pytest.mark.parametrize("example", EXAMPLES["examples"], ids=[e["why"][:40] for e in EXAMPLES["examples"]])
def test_every_worked_example(monkeypatch: pytest.MonkeyPatch, example: dict[str, Any]) -> None:
    status, out, err = screen(monkeypatch, example["input"])
    assert status == 0, err
    result = json.loads(out)
    for key, value in example["expected"].items():
        assert result[key] == value, (key, result)
    assert set(result["dimensions"]) == DIMENSIONS
    assert result["rationale"] and all(isinstance(line, str) and line for line in result["rationale"])


@pytest.mark.django_db
@pytest.mark.parametrize("example", EXAMPLES["bad_input"], ids=[e["why"][:40] for e in EXAMPLES["bad_input"]])
def test_every_bad_input(monkeypatch: pytest.MonkeyPatch, example: dict[str, Any]) -> None:
    status, out, err = screen(monkeypatch, example["input"])
    assert status == example["expected"]["exit_status"]
    assert out == ""
    for code in example["input"]["indicators"]:
        assert code in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stdin",
    [
        "{not json",
        "",
        "[1, 2]",
        '{"age": "16", "exploitation": "labour", "indicators": []}',
        '{"age": -3, "exploitation": "labour", "indicators": []}',
        '{"age": 16.5, "exploitation": "labour", "indicators": []}',
        '{"age": true, "exploitation": "labour", "indicators": []}',
        '{"age": 16, "exploitation": "domestic", "indicators": []}',
        '{"age": 16, "exploitation": "labour", "indicators": "THB-CL-DR-01"}',
        '{"age": 16, "exploitation": "labour", "indicators": [7]}',
        '{"age": 16, "presumed_child": "no", "exploitation": "labour", "indicators": []}',
        '{"age": 30, "exploitation": "labour", "indicators": ["FL07"]}',
        '{"age": 30, "exploitation": "labour", "indicators": ["THB-AL-DR-01", "THB-CL-EX-01"]}',
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_output(monkeypatch: pytest.MonkeyPatch, stdin: str) -> None:
    status, out, err = screen(monkeypatch, stdin)
    assert (status, out) == (2, "")
    assert err.strip()


@pytest.mark.django_db
def test_wrong_list_message_names_the_code_and_both_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, err = screen(monkeypatch, {"age": 30, "exploitation": "labour", "indicators": ["THB-CL-EX-01"]})
    assert "THB-CL-EX-01" in err and "child_labour" in err and "adult_labour" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("codes", "dimension"),
    [
        (["THB-AL-DR-01", "THB-AL-DR-10"], "DR"),  # 1 strong + 1 weak
        (["THB-AL-RV-01", "THB-AL-RV-02", "THB-AL-RV-15"], "RV"),  # 2 medium + 1 weak
        (["THB-AL-CR-02", "THB-AL-CR-03", "THB-AL-CR-04"], "CR"),  # 3 medium
    ],
)
def test_dimension_clauses_on_the_bundled_list(
    monkeypatch: pytest.MonkeyPatch, codes: list[str], dimension: str
) -> None:
    _, out, _ = screen(monkeypatch, {"age": 40, "exploitation": "labour", "indicators": codes})
    result = json.loads(out)
    assert {code for code, value in result["dimensions"].items() if value} == {dimension}
    assert result["outcome"] == "possible"


ADULT_CR_VD = {
    "age": 31,
    "presumed_child": False,
    "exploitation": "labour",
    "indicators": [
        "THB-AL-CR-01",  # strong
        "THB-AL-CR-05",  # medium
        "THB-AL-EX-01",  # strong
        "THB-AL-EX-04",  # medium
        "THB-AL-VD-01",  # medium
        "THB-AL-VD-02",  # medium
        "THB-AL-VD-06",  # weak
    ],
}


@pytest.mark.django_db
def test_adult_coercive_recruitment_and_vulnerability_at_destination(monkeypatch: pytest.MonkeyPatch) -> None:
    _, out, _ = screen(monkeypatch, ADULT_CR_VD)
    result = json.loads(out)
    assert result["outcome"] == "trafficking"
    assert result["dimensions"] == {"DR": False, "CR": True, "RV": False, "EX": True, "CD": False, "VD": True}


@pytest.mark.django_db
def test_editing_the_rule_table_in_the_database_changes_the_outcome(monkeypatch: pytest.MonkeyPatch) -> None:
    table = RuleTable.objects.get(code="default")
    table.rules = {
        **table.rules,
        "victim_adult": {"all_of": [{"positive": "CR"}, {"positive": "EX"}, {"positive": "CD"}]},
    }
    table.save()
    _, out, _ = screen(monkeypatch, ADULT_CR_VD)
    assert json.loads(out)["outcome"] == "possible"


@pytest.mark.django_db
def test_sexual_exploitation_uses_the_labour_list_until_one_is_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    case = {**ADULT_CR_VD, "exploitation": "sexual"}
    _, out, _ = screen(monkeypatch, case)
    result = json.loads(out)
    assert result["outcome"] == "trafficking"
    assert result["list"] == "adult_labour"
    assert any("sexual-exploitation" in line and "adult_labour" in line for line in result["rationale"])

    uploaded = "indicators:\n" + "".join(
        f"- {{list: adult_sexual, dimension: {dim}, code: AS-{dim}-1, label_en: Row {dim}, strength: strong}}\n"
        for dim in ("DR", "EX", "CD")
    )
    indicator_list_replace(actor=None, list_code="adult_sexual", content=uploaded)
    status, out, err = screen(monkeypatch, case)
    assert (status, out) == (2, "")
    assert "adult_labour" in err and "adult_sexual" in err
    _, out, _ = screen(monkeypatch, {**case, "indicators": ["AS-DR-1", "AS-EX-1"]})
    assert json.loads(out)["list"] == "adult_sexual"


@pytest.mark.django_db
def test_screen_reloads_a_missing_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    from ruta.screening.models import Indicator

    Indicator.objects.all().delete()
    IndicatorList.objects.all().delete()
    RuleTable.objects.all().delete()
    status, out, _ = screen(monkeypatch, EXAMPLES["examples"][0]["input"])
    assert status == 0 and json.loads(out)["outcome"] == "trafficking"


@pytest.mark.django_db
def test_rationale_language_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(EXAMPLES["examples"][0]["input"])))
    out = io.StringIO()
    call_command("screen", "--language", "en", stdout=out)
    assert json.loads(out.getvalue())["rationale"][0].startswith("The person is 15")
