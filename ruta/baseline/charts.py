"""The data behind the comparison charts, as the page hands it to Chart.js (``json_script``)."""

from __future__ import annotations

from typing import Any

from ruta.baseline.figures import CapacityComparison


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def comparison_chart_data(comparison: CapacityComparison) -> dict[str, Any]:
    """Two grouped bar charts: the mean score per dimension, and each institution's mean score, one
    bar per round (baseline → midline → endline)."""
    rounds = comparison.rounds
    return {
        "max": max((level for dimension in comparison.dimensions for level in _levels(dimension)), default=4),
        "dimensions": {
            "labels": [dimension.label for dimension in comparison.dimensions],
            "datasets": [
                {
                    "label": str(round_.get_kind_display()),
                    "data": [
                        _number(comparison.means.get(dimension.pk, {}).get(round_.pk))
                        for dimension in comparison.dimensions
                    ],
                }
                for round_ in rounds
            ],
        },
        "institutions": {
            "labels": [institution.short_name or institution.name for institution in comparison.institutions],
            "datasets": [
                {
                    "label": str(round_.get_kind_display()),
                    "data": [
                        _number(comparison.institution_means.get(institution.pk, {}).get(round_.pk))
                        for institution in comparison.institutions
                    ],
                }
                for round_ in rounds
            ],
        },
    }


def _levels(dimension: Any) -> list[int]:
    return [level.value for level in dimension.levels.all()]
