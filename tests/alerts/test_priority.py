"""Every default priority rule, the child presumption and the Palermo reading (pure function)."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.alerts.catalogue import DEFAULT_RULES, DEFAULT_SIGNALS
from ruta.alerts.priority import PersonFacts, RuleDef, SignalDef, compute_priority, is_child

SIGNALS = {code: SignalDef(code, group, danger) for code, group, danger, _labels in DEFAULT_SIGNALS}
RULES = [
    RuleDef(**{k: (tuple(v) if k == "any_of_signals" else v) for k, v in rule.items() if k != "labels"})
    for rule in DEFAULT_RULES
]
CHILD = [PersonFacts(age=15)]
ADULT = [PersonFacts(age=30)]


def priority(signals: list[str], now: bool = False, persons: Any = ()) -> Any:
    return compute_priority(
        signal_codes=signals, happening_now=now, persons=list(persons), signals=SIGNALS, rules=RULES
    )


@pytest.mark.parametrize(
    ("signals", "now", "persons", "expected", "rule"),
    [
        (["S06"], True, ADULT, "P1", "P1-danger-now"),
        (["S07"], True, [], "P1", "P1-danger-now"),
        (["S06"], False, ADULT, "P3", "P3-any-signal"),  # danger but not now, one group
        (["S12"], False, CHILD, "P1", "P1-child-sexual"),
        (["S15"], False, CHILD, "P1", "P1-child-missing"),
        (["S15"], False, ADULT, "P3", "P3-any-signal"),
        (["S12"], False, ADULT, "P3", "P3-any-signal"),
        (["S10"], False, CHILD, "P2", "P2-child-signal"),
        (["S01", "S10"], False, ADULT, "P2", "P2-two-groups"),
        (["S04", "S05"], False, ADULT, "P3", "P3-any-signal"),  # two signals, one group
        (["S15", "S10"], False, ADULT, "P3", "P3-any-signal"),  # S15 has no group
        (["S11"], False, ADULT, "P3", "P3-any-signal"),
        ([], True, CHILD, "P4", None),
        ([], False, [], "P4", None),
    ],
)
def test_default_rules(signals: list[str], now: bool, persons: Any, expected: str, rule: str | None) -> None:
    result = priority(signals, now, persons)
    assert (result.priority, result.rule) == (expected, rule)


def test_unknown_age_and_group_is_presumed_a_child() -> None:
    assert is_child(PersonFacts(age=None, age_group="unknown"))
    assert is_child(PersonFacts(age=None, age_group="child"))
    assert not is_child(PersonFacts(age=None, age_group="adult"))
    assert not is_child(PersonFacts(age=18, age_group="unknown"))
    assert priority(["S12"], persons=[PersonFacts()]).priority == "P1"
    assert priority(["S12"], persons=[PersonFacts(age_group="adult")]).priority == "P3"


def test_rationale_names_the_facts() -> None:
    result = priority(["S06", "S12"], True, CHILD)
    assert result.rationale()["rule"] == "P1-danger-now"
    assert {"happening_now", "child", "danger_signal", "signal:S06", "signal:S12"} <= set(result.facts)


def test_palermo_reading_child_needs_no_means() -> None:
    child = priority(["S01", "S12"], persons=CHILD).palermo
    assert child == {"act": True, "means": False, "means_required": False, "purpose": True, "elements_suggested": True}
    adult = priority(["S01", "S12"], persons=ADULT).palermo
    assert adult["means_required"] and not adult["elements_suggested"]
    assert priority(["S01", "S05", "S12"], persons=ADULT).palermo["elements_suggested"]


def test_rules_are_data(db: Any) -> None:
    """An administrator's edit of the stored rules changes the outcome (no code change)."""
    from ruta.alerts.configuration import intake_configuration
    from ruta.alerts.intake import AlertInput, assess
    from ruta.alerts.models import PriorityLevel, PriorityRule

    data = AlertInput(narrative="x", signal_codes=["S11"])
    assert assess(data).priority == "P3"
    PriorityRule.objects.create(code="p2-hours", priority="P2", any_of_signals=["S11"], labels={"en": "Hours"})
    assert assess(data).priority == "P2"
    level = PriorityLevel.objects.get(code="P2")
    from datetime import UTC, datetime, timedelta

    level.acknowledge_within = timedelta(minutes=30)
    level.save()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert intake_configuration.get().deadlines_for("P2", start) == (
        start + timedelta(minutes=30),
        start + timedelta(hours=72),
    )
    assert intake_configuration.get().deadlines_for("P1", start) == (
        start + timedelta(hours=1),
        start + timedelta(hours=24),
    )
    assert intake_configuration.get().deadlines_for("P4", start)[1] == start + timedelta(days=30)


def test_commercial_sexual_exploitation_of_a_child_recorded_by_screening_is_p1() -> None:
    """DESIGN §3: the ``cse_child`` fact of a formal screening puts the alert in P1, whatever signals."""
    plain = priority(["S10"], persons=ADULT)
    assert (plain.priority, plain.rule) == ("P3", "P3-any-signal")
    raised = compute_priority(
        signal_codes=["S10"], happening_now=False, persons=ADULT, signals=SIGNALS, rules=RULES, cse_child=True
    )
    assert (raised.priority, raised.rule, raised.child_involved) == ("P1", "cse_child", True)
    assert "cse_child" in raised.facts
    # A configured P1 rule that already matched keeps its name; the fact is still recorded.
    both = compute_priority(
        signal_codes=["S12"], happening_now=False, persons=CHILD, signals=SIGNALS, rules=RULES, cse_child=True
    )
    assert (both.priority, both.rule) == ("P1", "P1-child-sexual") and "cse_child" in both.facts
