"""Priority of an alert and a preliminary Palermo reading: pure functions over the configuration.

Who counts as "a child" for priority: a person under 18, a person stated to be a child, and — the
protective default, the same presumption as ``ruta.persons`` and DESIGN §3 — a person whose age is
unknown and whose age group is unknown. Only a known adult age or the "adult" group makes a person
an adult. Over-prioritising an adult costs a faster visit; under-prioritising a child can cost a
child. With no person described at all, nobody counts as a child.

Commercial sexual exploitation of a child, once a screener has recorded it (the ``cse_child`` fact of
the formal screening, DESIGN §3), is P1 whatever the configured rules say: it is the commission's
mandate, not a tunable default, so it is a fixed rule here rather than a row an administrator could
deactivate."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

ADULT_AGE = 18
GROUPS = ("recruitment", "control", "exploitation")
DEFAULT_PRIORITY = "P4"
CSE_CHILD_PRIORITY = "P1"
CSE_CHILD_RULE = "cse_child"
CSE_CHILD_FACT = "cse_child"


@dataclass(frozen=True)
class SignalDef:
    code: str
    group: str
    is_danger: bool = False


# Rules another app applies on top of the table (an inspection's immediate danger) are not rows
# with labels: their app names them here, so the alert page says why in words, not a code.
_RULE_LABELS: dict[str, Promise] = {}


def register_rule_label(code: str, label: Promise) -> None:
    _RULE_LABELS[code] = label


def registered_rule_label(code: str) -> Promise | None:
    return _RULE_LABELS.get(code)


@dataclass(frozen=True)
class RuleDef:
    code: str
    priority: str
    order: int = 0
    requires_happening_now: bool = False
    requires_child: bool = False
    requires_danger_signal: bool = False
    any_of_signals: tuple[str, ...] = ()
    min_signals: int = 0
    min_groups: int = 0


@dataclass(frozen=True)
class PersonFacts:
    age: int | None = None
    age_group: str = "unknown"


@dataclass
class PriorityResult:
    priority: str
    rule: str | None
    child_involved: bool
    facts: list[str] = field(default_factory=list)
    palermo: dict[str, Any] = field(default_factory=dict)

    def rationale(self) -> dict[str, Any]:
        return {"rule": self.rule, "facts": self.facts}


def is_child(person: PersonFacts) -> bool:
    if person.age is not None:
        return person.age < ADULT_AGE
    return person.age_group != "adult"


def _matches(
    rule: RuleDef, *, happening_now: bool, child: bool, codes: set[str], danger: bool, groups: set[str]
) -> bool:
    if rule.requires_happening_now and not happening_now:
        return False
    if rule.requires_child and not child:
        return False
    if rule.requires_danger_signal and not danger:
        return False
    if rule.any_of_signals and not codes.intersection(rule.any_of_signals):
        return False
    if len(codes) < rule.min_signals:
        return False
    return len(groups) >= rule.min_groups


def palermo_reading(*, groups: set[str], child: bool) -> dict[str, Any]:
    """Act (recruitment signals), means (control signals; never required for a child), purpose
    (exploitation signals). A preliminary reading for the triage team, never a decision."""
    act = "recruitment" in groups
    means_present = "control" in groups
    purpose = "exploitation" in groups
    means_needed = not child
    complete = act and purpose and (means_present or not means_needed)
    return {
        "act": act,
        "means": means_present,
        "means_required": means_needed,
        "purpose": purpose,
        "elements_suggested": complete,
    }


def compute_priority(
    *,
    signal_codes: Iterable[str],
    happening_now: bool,
    persons: Sequence[PersonFacts],
    signals: dict[str, SignalDef],
    rules: Sequence[RuleDef],
    cse_child: bool = False,
) -> PriorityResult:
    """The highest priority among matching rules (P4 with none), with the facts that decided it.
    ``cse_child``: a formal screening recorded commercial sexual exploitation of a child (P1)."""
    codes = {code for code in signal_codes if code in signals}
    child = any(is_child(person) for person in persons)
    danger = any(signals[code].is_danger for code in codes)
    groups = {signals[code].group for code in codes} & set(GROUPS)
    facts: list[str] = []
    if cse_child:
        child = True  # the screening established it: only a child's screening can carry the fact
        facts.append(CSE_CHILD_FACT)
    if happening_now:
        facts.append("happening_now")
    if child:
        facts.append("child")
    if danger:
        facts.append("danger_signal")
    facts.extend(f"signal:{code}" for code in sorted(codes))
    facts.extend(f"group:{group}" for group in sorted(groups))
    chosen: RuleDef | None = None
    for rule in sorted(rules, key=lambda r: (r.priority, r.order, r.code)):
        if _matches(rule, happening_now=happening_now, child=child, codes=codes, danger=danger, groups=groups):
            chosen = rule
            break
    priority, rule_code = (chosen.priority, chosen.code) if chosen else (DEFAULT_PRIORITY, None)
    if cse_child and priority != CSE_CHILD_PRIORITY:
        priority, rule_code = CSE_CHILD_PRIORITY, CSE_CHILD_RULE
    return PriorityResult(
        priority=priority,
        rule=rule_code,
        child_involved=child,
        facts=facts,
        palermo=palermo_reading(groups=groups, child=child),
    )
