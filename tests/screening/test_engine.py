"""The pure engine, on small hand-made catalogues (no database)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ruta.screening import engine
from ruta.screening.engine import Catalogue, IndicatorDef, ListDef, RuleTable, ScreeningInput
from ruta.screening.errors import (
    InvalidInputError,
    ListNotLoadedError,
    RuleTableError,
    UnknownIndicatorError,
    WrongListError,
)
from ruta.screening.rationale import describe_condition
from ruta.screening.rules import DEFAULT_RULES, validate_rules


def _list(code: str, age_group: str, exploitation: str, rows: list[tuple[str, str, str]]) -> ListDef:
    return ListDef(
        code=code,
        age_group=age_group,
        exploitation=exploitation,
        indicators=tuple(IndicatorDef(code=c, dimension=d, strength=s) for c, d, s in rows),
    )


ADULT = [
    ("A-DR-S1", "DR", "strong"),
    ("A-DR-S2", "DR", "strong"),
    ("A-DR-M1", "DR", "medium"),
    ("A-DR-M2", "DR", "medium"),
    ("A-DR-M3", "DR", "medium"),
    ("A-DR-W1", "DR", "weak"),
    ("A-DR-W2", "DR", "weak"),
    ("A-CR-S1", "CR", "strong"),
    ("A-CR-M1", "CR", "medium"),
    ("A-EX-S1", "EX", "strong"),
    ("A-EX-M1", "EX", "medium"),
    ("A-EX-W1", "EX", "weak"),
    ("A-CD-S1", "CD", "strong"),
    ("A-VD-M1", "VD", "medium"),
    ("A-VD-M2", "VD", "medium"),
    ("A-VD-W1", "VD", "weak"),
]
CHILD = [(code.replace("A-", "C-"), dim, strength) for code, dim, strength in ADULT]


def catalogue(rules: dict[str, Any] | None = None, *, with_sexual: bool = False) -> Catalogue:
    lists = {
        "adult_labour": _list("adult_labour", "adult", "labour", ADULT),
        "child_labour": _list("child_labour", "child", "labour", CHILD),
        "adult_sexual": _list("adult_sexual", "adult", "sexual", [("AS-DR-S1", "DR", "strong")] if with_sexual else []),
        "child_sexual": _list("child_sexual", "child", "sexual", []),
        "forced_labour": ListDef(code="forced_labour", indicators=(IndicatorDef("FL01", "", ""),)),
    }
    return Catalogue(lists=lists, rules=RuleTable(rules or DEFAULT_RULES, version=3))


def run(codes: list[str], *, age: int | None = 30, presumed: bool | None = False, kind: str = "labour", **kw: Any):
    return engine.screen(kw.get("cat") or catalogue(), ScreeningInput(age, presumed, kind, tuple(codes)))


@pytest.mark.parametrize(
    ("codes", "positive"),
    [
        (["A-DR-S1", "A-DR-S2"], True),  # 2 strong
        (["A-DR-S1", "A-DR-W1"], True),  # 1 strong + 1 weak
        (["A-DR-S1", "A-DR-M1"], True),  # 1 strong + 1 medium
        (["A-DR-M1", "A-DR-M2", "A-DR-M3"], True),  # 3 medium
        (["A-DR-M1", "A-DR-M2", "A-DR-W1"], True),  # 2 medium + 1 weak
        (["A-DR-S1"], False),
        (["A-DR-M1", "A-DR-M2"], False),
        (["A-DR-M1", "A-DR-W1", "A-DR-W2"], False),  # 1 medium + 2 weak meets no clause
        (["A-DR-W1", "A-DR-W2"], False),
    ],
)
def test_dimension_positive_clauses_are_at_least_counts(codes: list[str], positive: bool) -> None:
    assert run(codes).dimensions["DR"] is positive


def test_adult_rule_through_coercive_recruitment_and_vulnerability_at_destination() -> None:
    result = run(["A-CR-S1", "A-CR-M1", "A-EX-S1", "A-EX-W1", "A-VD-M1", "A-VD-M2", "A-VD-W1"])
    assert result.outcome == "trafficking"
    assert result.child_rule is False
    assert result.dimensions == {"DR": False, "CR": True, "RV": False, "EX": True, "CD": False, "VD": True}
    clause = "2 medium indicators and 1 weak indicator"
    assert any("A-VD-M1" in line and "VD" in line and clause in line for line in result.rationale)
    assert any("adult rule" in line and "is met" in line for line in result.rationale)


def test_adult_without_means_is_possible_but_a_child_with_the_same_facts_is_trafficking() -> None:
    adult = run(["A-DR-S1", "A-DR-M1", "A-EX-S1", "A-EX-M1"], age=24)
    child = run(["C-DR-S1", "C-DR-M1", "C-EX-S1", "C-EX-M1"], age=17)
    assert (adult.outcome, adult.child_rule) == ("possible", False)
    assert (child.outcome, child.child_rule) == ("trafficking", True)
    assert any("adult rule" in line and "not met" in line for line in adult.rationale)


def test_one_strong_indicator_alone_is_possible_and_nothing_is_not_indicated() -> None:
    assert run(["A-CD-S1"]).outcome == "possible"
    assert run(["A-DR-M1", "A-DR-M2"]).outcome == "not_indicated"
    empty = run([])
    assert empty.outcome == "not_indicated"
    assert set(empty.dimensions) == {"DR", "CR", "RV", "EX", "CD", "VD"}


@pytest.mark.parametrize(
    ("age", "presumed", "child"),
    [
        (17, False, True),
        (18, True, False),  # a known age wins over "presumed a child"
        (0, None, True),
        (None, True, True),
        (None, None, True),  # protective default
        (None, False, False),
    ],
)
def test_who_is_a_child(age: int | None, presumed: bool | None, child: bool) -> None:
    codes = ["C-EX-S1"] if child else ["A-EX-S1"]
    result = run(codes, age=age, presumed=presumed)
    assert result.child_rule is child
    assert result.list_code == ("child_labour" if child else "adult_labour")


def test_unknown_age_not_stated_says_it_presumes_a_child() -> None:
    result = run([], age=None, presumed=None)
    assert "protective default" in result.rationale[0]


def test_unknown_code_is_a_typed_error_naming_it() -> None:
    with pytest.raises(UnknownIndicatorError) as error:
        run(["A-DR-S1", "NOPE-1", "NOPE-2"])
    assert error.value.codes == ["NOPE-1", "NOPE-2"]
    assert "NOPE-1" in str(error.value) and "NOPE-2" in str(error.value)


@pytest.mark.parametrize(
    ("codes", "age", "other"),
    [
        (["A-DR-S1"], 12, "adult_labour"),  # adult code for a child
        (["C-DR-S1"], 40, "child_labour"),  # child code for an adult
        (["FL01"], 40, "forced_labour"),  # the inspection checklist is not a screening list
    ],
)
def test_code_from_another_list_is_a_typed_error(codes: list[str], age: int, other: str) -> None:
    with pytest.raises(WrongListError) as error:
        run(codes, age=age)
    assert error.value.codes == codes
    assert other in str(error.value)


def test_sexual_exploitation_falls_back_to_the_labour_list_and_says_so() -> None:
    result = run(["C-DR-S1", "C-DR-S2", "C-EX-S1", "C-EX-M1"], age=14, kind="sexual")
    assert result.outcome == "trafficking"
    assert result.fallback is True
    assert result.list_code == "child_labour"
    assert result.requested_list_code == "child_sexual"
    assert any("sexual-exploitation" in line and "child_labour" in line for line in result.rationale)


def test_a_loaded_sexual_list_is_used_and_labour_codes_are_then_another_list() -> None:
    cat = catalogue(with_sexual=True)
    assert run(["AS-DR-S1"], kind="sexual", cat=cat).list_code == "adult_sexual"
    with pytest.raises(WrongListError):
        run(["A-DR-S1"], kind="sexual", cat=cat)


def test_missing_lists_are_an_error() -> None:
    empty = Catalogue(lists={}, rules=RuleTable(DEFAULT_RULES))
    with pytest.raises(ListNotLoadedError):
        engine.screen(empty, ScreeningInput(30, False, "labour", ()))


def test_the_rule_table_decides() -> None:
    rules = copy.deepcopy(DEFAULT_RULES)
    rules["dimension_positive"]["any_of"] = [{"strong": 1}]
    rules["victim_adult"] = {"all_of": [{"positive": "DR"}, {"positive": "EX"}]}
    result = run(["A-DR-S1", "A-EX-S1"], cat=catalogue(rules))
    assert result.outcome == "trafficking"
    assert result.rules_version == 3
    assert run(["A-DR-S1", "A-EX-S1"]).outcome == "possible"


def test_possible_rule_can_be_narrowed() -> None:
    rules = copy.deepcopy(DEFAULT_RULES)
    rules["possible"] = {"any_positive": ["DR"]}
    assert run(["A-CD-S1"], cat=catalogue(rules)).outcome == "not_indicated"


@pytest.mark.parametrize(
    "broken",
    [
        {},
        {**DEFAULT_RULES, "dimension_positive": {"any_of": []}},
        {**DEFAULT_RULES, "dimension_positive": {"any_of": [{"strongest": 2}]}},
        {**DEFAULT_RULES, "dimension_positive": {"any_of": [{"strong": -1}]}},
        {**DEFAULT_RULES, "victim_child": {"positive": "XX"}},
        {**DEFAULT_RULES, "victim_adult": {"sometimes": ["DR"]}},
        {**DEFAULT_RULES, "possible": {"indicator_strength": "huge"}},
    ],
)
def test_invalid_rule_tables_are_refused(broken: dict[str, Any]) -> None:
    with pytest.raises(RuleTableError):
        validate_rules(broken)


def test_describe_condition() -> None:
    assert describe_condition(DEFAULT_RULES["victim_adult"]) == "(DR or CR or RV) and EX and (CD or VD)"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "non_field_errors"),
        ({"age": "16", "exploitation": "labour", "indicators": []}, "age"),
        ({"age": 16.5, "exploitation": "labour", "indicators": []}, "age"),
        ({"age": -1, "exploitation": "labour", "indicators": []}, "age"),
        ({"age": True, "exploitation": "labour", "indicators": []}, "age"),
        ({"age": 16, "presumed_child": "yes", "exploitation": "labour", "indicators": []}, "presumed_child"),
        ({"age": 16, "exploitation": "forced", "indicators": []}, "exploitation"),
        ({"age": 16, "indicators": []}, "exploitation"),
        ({"age": 16, "exploitation": "labour"}, "indicators"),
        ({"age": 16, "exploitation": "labour", "indicators": "THB-AL-DR-01"}, "indicators"),
        ({"age": 16, "exploitation": "labour", "indicators": [1, 2]}, "indicators"),
    ],
)
def test_parse_input_refuses_wrong_types(data: Any, field: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        engine.parse_input(data)
    assert field in error.value.errors


def test_parse_input_accepts_missing_age_and_drops_duplicates() -> None:
    parsed = engine.parse_input({"exploitation": "sexual", "indicators": ["X", "Y", "X"], "why": "ignored"})
    assert parsed == ScreeningInput(None, None, "sexual", ("X", "Y"))
