"""The rationale of a screening, stored as reasons (an English msgid and its parameters), never as
sentences, so that a screening reads in the language of whoever opens it later; and the wording of
conditions, clauses and counts: what was found for a dimension and what the rule table still needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from ruta.core.texts import Text
from ruta.screening.rules import STRENGTHS, DimensionStatus

Reason = dict[str, Any]  # {"msgid": ..., "params": {...}}: see ``render_reason``


def reason(msgid: str, **params: Any) -> Reason:
    return {"msgid": msgid, "params": params}


def render_reason(item: Any, language: str | None = None) -> str:
    """One rationale line in ``language`` (default: the active one). A parameter is rendered by its
    shape: a nested reason, ``{"dimension", "labels"}``, ``{"indicators": [...]}``, ``{"clause"}``,
    ``{"clauses"}``, ``{"counts"}``, ``{"condition"}``, ``{"strength"}`` or ``{"join", "sep"}``; other
    values as they are. A plain string (a screening saved before reasons were stored) is shown as it
    is."""
    if not isinstance(item, dict):
        return str(item)
    if language:
        with translation.override(language):
            return render_reason(item)
    params = {name: _render_param(value) for name, value in (item.get("params") or {}).items()}
    return Text(str(item.get("msgid", "")), params).render()


def _render_param(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "msgid" in value:
        return render_reason(value)
    if "dimension" in value:
        label = pick_label(value.get("labels") or {})
        return f"{value['dimension']} ({label})" if label else str(value["dimension"])
    if "indicators" in value:
        return ", ".join(
            f"{item.get('code', '')} ({strength_label(item.get('strength', ''))})" for item in value["indicators"]
        )
    if "clause" in value:
        return describe_clause(value["clause"])
    if "clauses" in value:
        return describe_clauses(value["clauses"])
    if "counts" in value:
        return describe_counts(value["counts"])
    if "condition" in value:
        return describe_condition(value["condition"])
    if "strength" in value:
        return strength_label(value["strength"])
    if "join" in value:
        return str(value.get("sep", "; ")).join(str(_render_param(part)) for part in value["join"])
    return value


def describe_condition(condition: Mapping[str, Any], *, top: bool = True) -> str:
    """A readable form of a condition: ``(DR or CR or RV) and EX and (CD or VD)``."""
    ((operator, operand),) = condition.items()
    if operator in ("all_of", "any_of"):
        joiner = _(" and ") if operator == "all_of" else _(" or ")
        text = joiner.join(describe_condition(item, top=False) for item in operand)
        return text if top or len(operand) == 1 else f"({text})"
    if operator == "positive":
        return str(operand)
    if operator in ("any_positive", "all_positive"):
        joiner = _(" or ") if operator == "any_positive" else _(" and ")
        text = joiner.join(operand)
        return text if top or len(operand) == 1 else f"({text})"
    if operator == "indicator_strength":
        return _("a %(strength)s indicator") % {"strength": strength_label(operand)}
    return str(condition)


def pick_label(labels: Mapping[str, str], fallback: str = "") -> str:
    """The label in the active language, else Spanish, else English, else any."""
    language = (translation.get_language() or "es").split("-")[0]
    for candidate in (language, "es", "en"):
        if labels.get(candidate):
            return str(labels[candidate])
    return next((str(value) for value in labels.values() if value), fallback)


def strength_label(strength: str) -> str:
    return {"strong": _("strong"), "medium": _("medium"), "weak": _("weak")}.get(strength, strength)


def count_phrase(key: str, count: int) -> str:
    """``2 strong indicators``, ``1 medium or weak indicator``… in the active language."""
    phrases = {
        "strong": ngettext("%(count)d strong indicator", "%(count)d strong indicators", count),
        "medium": ngettext("%(count)d medium indicator", "%(count)d medium indicators", count),
        "weak": ngettext("%(count)d weak indicator", "%(count)d weak indicators", count),
        "medium_or_weak": ngettext("%(count)d medium or weak indicator", "%(count)d medium or weak indicators", count),
        "any": ngettext("%(count)d indicator of any strength", "%(count)d indicators of any strength", count),
    }
    return phrases.get(key, f"%(count)d {key}") % {"count": count}


def describe_clause(clause: Mapping[str, int]) -> str:
    return _(" and ").join(count_phrase(key, count) for key, count in clause.items() if count)


def describe_clauses(clauses: Sequence[Mapping[str, int]]) -> str:
    """Alternatives: ``2 strong indicators, or 1 strong indicator and 1 medium or weak indicator``."""
    return _(", or ").join(describe_clause(clause) for clause in clauses)


def describe_counts(found: Mapping[str, int]) -> str:
    parts = [count_phrase(key, found.get(key, 0)) for key in STRENGTHS if found.get(key)]
    return ", ".join(parts) if parts else _("no indicator")


def age_reasons(age: int | None, presumed_child: bool | None, child: bool) -> list[Reason]:
    if age is not None:
        if child:
            return [
                reason(
                    gettext_noop(
                        "The person is %(age)d, under 18: the child rule applies and the means are not required."
                    ),
                    age=age,
                )
            ]
        reasons = [reason(gettext_noop("The person is %(age)d: the adult rule applies."), age=age)]
        if presumed_child:
            reasons.append(reason(gettext_noop("The known age prevails over 'presumed a child'.")))
        return reasons
    if presumed_child is True:
        return [
            reason(
                gettext_noop("Age unknown and presumed a child: the child rule applies and the means are not required.")
            )
        ]
    if presumed_child is None:
        return [
            reason(
                gettext_noop(
                    "Age unknown and not stated whether the person is a child: presumed a child (protective "
                    "default); the child rule applies."
                )
            )
        ]
    return [reason(gettext_noop("Age unknown and not presumed a child: the adult rule applies."))]


def dimension_reason(name: dict[str, Any], items: Sequence[tuple[str, str]], status: DimensionStatus) -> Reason | None:
    """``items``: the (code, strength) of the indicators recorded for the dimension."""
    listed = {"indicators": [{"code": code, "strength": strength} for code, strength in items]}
    if status.met is not None:
        return reason(
            gettext_noop(
                "%(dimension)s is positive because of %(indicators)s: the condition 'at least %(clause)s' is met."
            ),
            dimension=name,
            indicators=listed,
            clause={"clause": status.met},
        )
    if not items:
        return None
    return reason(
        gettext_noop(
            "%(dimension)s is not positive: %(found)s found (%(indicators)s); still needed besides these: %(needed)s."
        ),
        dimension=name,
        found={"counts": status.found},
        indicators=listed,
        needed={"clauses": status.needed},
    )
