"""Turning a stored screening result into what ``screening/includes/result.html`` shows.

Works from the stored result alone (labels and reasons were stored with it), so a screening reads the
same after the catalogue is replaced, in the language of whoever reads it, and rendering a list of
screenings needs no query per row."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruta.institutions.models import InstitutionType
from ruta.screening.rationale import (
    describe_clause,
    describe_clauses,
    describe_counts,
    pick_label,
    render_reason,
    strength_label,
)
from ruta.screening.rules import DEFAULT_DIMENSIONS, STRENGTHS

OUTCOME_LABELS = {
    "trafficking": gettext_lazy("Presumed victim of trafficking"),
    "possible": gettext_lazy("Possible trafficking: further assessment needed"),
    "not_indicated": gettext_lazy("Not indicated by the indicators recorded"),
}


def dimension_explanation(status: dict[str, Any] | None, indicators: list[dict[str, Any]]) -> str:
    """What one dimension's result rests on: the condition met, or what was found and what the rule
    still needs. A screening saved before this was stored says only what was found."""
    if status is None:
        found = {key: sum(1 for item in indicators if item.get("strength") == key) for key in STRENGTHS}
        return _("Found: %(found)s.") % {"found": describe_counts(found)}
    found_text = describe_counts(status.get("found") or {})
    if status.get("met"):
        return _("Found: %(found)s; the condition 'at least %(clause)s' is met.") % {
            "found": found_text,
            "clause": describe_clause(status["met"]),
        }
    if not status.get("found"):
        return _("Nothing found yet; a dimension needs at least %(needed)s.") % {
            "needed": describe_clauses(status.get("needed") or []),
        }
    return _("Found: %(found)s; still needed besides these: %(needed)s.") % {
        "found": found_text,
        "needed": describe_clauses(status.get("needed") or []),
    }


def display_result(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` is ``ScreeningResult.as_record()`` (or a ``ScreeningRecord.result``)."""
    dimension_labels = result.get("dimension_labels") or {}
    by_dimension = result.get("indicators_by_dimension") or {}
    dimensions = result.get("dimensions") or {}
    statuses = result.get("dimension_status") or {}
    rows = []
    for code in list(dimensions) or list(DEFAULT_DIMENSIONS):
        indicators = by_dimension.get(code, [])
        rows.append(
            {
                "code": code,
                "label": pick_label(dimension_labels.get(code) or {}, fallback=code),
                "positive": bool(dimensions.get(code)),
                "explanation": dimension_explanation(statuses.get(code), indicators),
                "indicators": [
                    {
                        "code": item.get("code", ""),
                        "label": pick_label(item.get("labels") or {}, fallback=item.get("code", "")),
                        "strength": item.get("strength", ""),
                        "strength_label": strength_label(item.get("strength", "")),
                    }
                    for item in indicators
                ],
            }
        )
    outcome = str(result.get("outcome", ""))
    return {
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS.get(outcome, outcome),
        "child_rule": bool(result.get("child_rule")),
        "cse_child": bool(result.get("cse_child")),
        "suggested_referrals": [
            InstitutionType(code).label if code in InstitutionType.values else code
            for code in result.get("suggested_referrals") or []
        ],
        "dimensions": rows,
        "rationale": [render_reason(item) for item in result.get("rationale") or []],
        "list": result.get("list", ""),
        "requested_list": result.get("requested_list", ""),
        "list_version": result.get("list_version"),
        "list_verified": bool(result.get("list_verified")),
        "fallback": bool(result.get("fallback")),
        "rules_version": result.get("rules_version"),
    }
