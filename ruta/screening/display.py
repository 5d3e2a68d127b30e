"""Turning a stored screening result into what ``screening/includes/result.html`` shows.

Works from the stored result alone (labels were stored with it), so a screening reads the same after
the catalogue is replaced, and rendering a list of screenings needs no query per row."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.screening.engine import DEFAULT_DIMENSIONS, pick_label, strength_label

OUTCOME_LABELS = {
    "trafficking": _("Presumed victim of trafficking"),
    "possible": _("Possible trafficking: further assessment needed"),
    "not_indicated": _("Not indicated by the indicators recorded"),
}


def display_result(result: dict[str, Any]) -> dict[str, Any]:
    """``result`` is ``ScreeningResult.as_record()`` (or a ``ScreeningRecord.result``)."""
    dimension_labels = result.get("dimension_labels") or {}
    by_dimension = result.get("indicators_by_dimension") or {}
    dimensions = result.get("dimensions") or {}
    rows = []
    for code in list(dimensions) or list(DEFAULT_DIMENSIONS):
        rows.append(
            {
                "code": code,
                "label": pick_label(dimension_labels.get(code) or {}, fallback=code),
                "positive": bool(dimensions.get(code)),
                "indicators": [
                    {
                        "code": item.get("code", ""),
                        "label": pick_label(item.get("labels") or {}, fallback=item.get("code", "")),
                        "strength": item.get("strength", ""),
                        "strength_label": strength_label(item.get("strength", "")),
                    }
                    for item in by_dimension.get(code, [])
                ],
            }
        )
    outcome = str(result.get("outcome", ""))
    return {
        "outcome": outcome,
        "outcome_label": OUTCOME_LABELS.get(outcome, outcome),
        "child_rule": bool(result.get("child_rule")),
        "dimensions": rows,
        "rationale": list(result.get("rationale") or []),
        "list": result.get("list", ""),
        "list_version": result.get("list_version"),
        "list_verified": bool(result.get("list_verified")),
        "fallback": bool(result.get("fallback")),
        "rules_version": result.get("rules_version"),
    }
