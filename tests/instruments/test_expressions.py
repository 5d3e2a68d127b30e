"""The XPath subset evaluator: values, operators, functions, and refusal of what it cannot do."""

from __future__ import annotations

import math
from datetime import date

import pytest

from ruta.instruments import expressions
from ruta.instruments.expressions import Context, ExpressionError, evaluate

ANSWERS: dict[str, expressions.Value] = {
    "age": 16,
    "name": "Ana María",
    "colours": "red blue",
    "empty": "",
    "born": "2008-03-01",
    "price": 2.5,
}


def run(text: str, current: expressions.Value = "") -> expressions.Value:
    return evaluate(text, Context(lookup=lambda name: ANSWERS.get(name, ""), current=current, today=date(2024, 6, 1)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${age} > 15", True),
        ("${age} >= 18 or ${name} = 'Ana María'", True),
        ("${age} < 18 and not(${age} = 16)", False),
        ("${age} != 16", False),
        ("${age} + 4 * 2", 24.0),
        ("(${age} + 4) * 2", 40.0),
        ("${age} div 4", 4.0),
        ("${age} mod 5", 1.0),
        ("-${price} + 5", 2.5),
        (". > 3", True),
        ("selected(${colours}, 'blue')", True),
        ("selected(${colours}, 'green')", False),
        ("count-selected(${colours})", 2),
        ("count-selected(${empty})", 0),
        ("string-length(${name})", 9),
        ("string-length(.)", 1),
        ("if(${age} < 18, 'child', 'adult')", "child"),
        ("today()", "2024-06-01"),
        ("${born} < today()", True),
        ("concat(${name}, ' (', ${age}, ')')", "Ana María (16)"),
        ("number('3.5') + 1", 4.5),
        ("number('x') = number('x')", False),
        ("int(7.9)", 7.0),
        ("int(-7.9)", -7.0),
        ("round(2.345, 2)", 2.35),
        ("round(2.5)", 3.0),
        ("coalesce(${empty}, 'fallback')", "fallback"),
        ("coalesce(${name}, 'fallback')", "Ana María"),
        ("regex(${name}, '^Ana')", True),
        ("regex(${name}, '^\\d+$')", False),
        ("${empty} = ''", True),
        ("${empty} > 3", False),
        ("${unknown} = ''", True),
        ("\"double\" = 'double'", True),
        ("true() and not(false())", True),
    ],
)
def test_evaluates(text: str, expected: expressions.Value) -> None:
    assert run(text, current=5 if "." in text and "'" not in text else "x") == expected


def test_current_value_is_dot() -> None:
    assert run(". >= 0 and . < 10", current=7) is True
    assert run(". >= 0 and . < 10", current=12) is False


def test_division_by_zero_is_not_a_crash() -> None:
    assert math.isinf(float(run("1 div 0")))
    assert math.isnan(float(run("0 div 0")))


def test_if_evaluates_only_the_branch_taken() -> None:
    # The untaken branch calls a function with the wrong number of arguments: never evaluated.
    assert run("if(true(), 1, round())") == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("pulldata('x', 'y', 'z', 'w')", "pulldata"),
        ("/data/age > 3", "cannot read"),
        ("${age} >", "ends too early"),
        ("(${age} > 3", "ends too early"),
        ("${age} > 3 )", "unexpected"),
        ("__import__('os')", "not supported"),
        ("position(..)", "position"),
    ],
)
def test_refuses_what_it_cannot_do(text: str, reason: str) -> None:
    with pytest.raises(ExpressionError, match=reason):
        expressions.parse(text)
    assert reason in (expressions.check(text) or "")


def test_wrong_argument_count_is_an_expression_error() -> None:
    with pytest.raises(ExpressionError):
        run("selected(${colours})")


def test_references() -> None:
    assert expressions.references("${a} + ${b_2} > ${a}") == {"a", "b_2"}
