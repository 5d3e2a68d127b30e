"""The rule table of the ILO–EC method (DESIGN.md §3): the default table, its validation, and its
evaluation: when a dimension is positive, what it still needs when it is not, and whether the victim and
``possible`` conditions hold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ruta.screening.errors import RuleTableError

STRENGTHS = ("strong", "medium", "weak")
DEFAULT_DIMENSIONS = ("DR", "CR", "RV", "EX", "CD", "VD")
COUNT_KEYS = ("strong", "medium", "weak", "medium_or_weak", "any")
RULE_KEYS = ("dimension_positive", "victim_adult", "victim_child", "possible")

DEFAULT_RULES: dict[str, Any] = {
    "dimension_positive": {
        "any_of": [
            {"strong": 2},
            {"strong": 1, "medium_or_weak": 1},
            {"medium": 3},
            {"medium": 2, "weak": 1},
        ]
    },
    "victim_adult": {
        "all_of": [{"any_positive": ["DR", "CR", "RV"]}, {"positive": "EX"}, {"any_positive": ["CD", "VD"]}]
    },
    "victim_child": {"all_of": [{"any_positive": ["DR", "CR", "RV"]}, {"positive": "EX"}]},
    "possible": {
        "any_of": [{"any_positive": list(DEFAULT_DIMENSIONS)}, {"indicator_strength": "strong"}],
    },
}


@dataclass(frozen=True)
class DimensionStatus:
    """What was found for one dimension and, when it is not positive, what the rule table still needs
    (the nearest clauses, each as the counts still missing)."""

    found: dict[str, int]
    met: dict[str, int] | None
    needed: list[dict[str, int]]

    def as_json(self) -> dict[str, Any]:
        return {"found": dict(self.found), "met": self.met, "needed": [dict(item) for item in self.needed]}


def validate_rules(rules: Any, dimensions: Sequence[str] = DEFAULT_DIMENSIONS) -> None:
    """Raise ``RuleTableError`` unless ``rules`` is a usable rule table."""
    if not isinstance(rules, dict):
        raise RuleTableError(_("The rule table must be an object."))
    missing = [key for key in RULE_KEYS if key not in rules]
    if missing:
        raise RuleTableError(_("The rule table lacks: %(keys)s.") % {"keys": ", ".join(missing)})
    clauses = rules["dimension_positive"].get("any_of") if isinstance(rules["dimension_positive"], dict) else None
    if not isinstance(clauses, list) or not clauses:
        raise RuleTableError(_("dimension_positive needs a non-empty any_of list of clauses."))
    for clause in clauses:
        if (
            not isinstance(clause, dict)
            or not clause
            or any(key not in COUNT_KEYS for key in clause)
            or any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in clause.values())
        ):
            raise RuleTableError(
                _('Each dimension_positive clause maps %(keys)s to a count, e.g. {"strong": 2}.')
                % {"keys": ", ".join(COUNT_KEYS)}
            )
    for key in ("victim_adult", "victim_child", "possible"):
        _validate_condition(rules[key], set(dimensions), key)


def _validate_condition(condition: Any, dimensions: set[str], where: str) -> None:
    if not isinstance(condition, dict) or len(condition) != 1:
        raise RuleTableError(_("%(where)s: each condition has exactly one operator.") % {"where": where})
    ((operator, operand),) = condition.items()
    if operator in ("all_of", "any_of"):
        if not isinstance(operand, list) or not operand:
            raise RuleTableError(_("%(where)s: %(op)s needs a non-empty list.") % {"where": where, "op": operator})
        for item in operand:
            _validate_condition(item, dimensions, where)
    elif operator == "positive":
        if operand not in dimensions:
            raise RuleTableError(_("%(where)s: unknown dimension %(code)r.") % {"where": where, "code": operand})
    elif operator in ("any_positive", "all_positive"):
        if not isinstance(operand, list) or not operand or any(code not in dimensions for code in operand):
            raise RuleTableError(
                _("%(where)s: %(op)s needs a list of dimension codes.") % {"where": where, "op": operator}
            )
    elif operator == "indicator_strength":
        if operand not in STRENGTHS:
            raise RuleTableError(_("%(where)s: unknown strength %(value)r.") % {"where": where, "value": operand})
    else:
        raise RuleTableError(_("%(where)s: unknown operator %(op)r.") % {"where": where, "op": operator})


def holds(condition: Mapping[str, Any], positive: Mapping[str, bool], strengths: Counter[str]) -> bool:
    ((operator, operand),) = condition.items()
    if operator == "all_of":
        return all(holds(item, positive, strengths) for item in operand)
    if operator == "any_of":
        return any(holds(item, positive, strengths) for item in operand)
    if operator == "positive":
        return bool(positive.get(operand))
    if operator == "any_positive":
        return any(positive.get(code) for code in operand)
    if operator == "all_positive":
        return all(positive.get(code) for code in operand)
    if operator == "indicator_strength":
        return strengths[operand] > 0
    raise RuleTableError(f"unknown operator {operator!r}")


def _available(strengths: Mapping[str, int]) -> dict[str, int]:
    return {
        "strong": strengths.get("strong", 0),
        "medium": strengths.get("medium", 0),
        "weak": strengths.get("weak", 0),
        "medium_or_weak": strengths.get("medium", 0) + strengths.get("weak", 0),
        "any": sum(strengths.get(key, 0) for key in STRENGTHS),
    }


def clause_met(clause: Mapping[str, int], strengths: Mapping[str, int]) -> bool:
    available = _available(strengths)
    return all(available[key] >= count for key, count in clause.items())


def still_needed(clauses: Sequence[Mapping[str, int]], strengths: Mapping[str, int]) -> list[dict[str, int]]:
    """For a dimension that is not positive: what is missing for the nearest clauses (those needing
    the fewest further indicators), each as the counts still missing, duplicates dropped. Counts
    are per key of the clause, as the rule table words them."""
    available = _available(strengths)
    gaps: list[dict[str, int]] = []
    for clause in clauses:
        gap = {key: count - available[key] for key, count in clause.items() if count > available[key]}
        if gap and gap not in gaps:
            gaps.append(gap)
    if not gaps:
        return []
    fewest = min(sum(gap.values()) for gap in gaps)
    return [gap for gap in gaps if sum(gap.values()) == fewest]
