"""Building blocks for the competency tests: the seeded framework, ratings and assessments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ruta.competencies.inspector_framework import FRAMEWORK_CODE
from ruta.competencies.models import Assessment, AssessmentKind, Framework
from ruta.competencies.services import RatingInput, assessment_record


def inspector_framework() -> Framework:
    return Framework.objects.get(code=FRAMEWORK_CODE)


def codes(framework: Framework) -> list[str]:
    return list(framework.competencies.order_by("order").values_list("code", flat=True))


def ratings(framework: Framework, levels: Sequence[int] | dict[str, int]) -> dict[int, RatingInput]:
    """Ratings by competency id, from levels in competency order (or by competency code)."""
    competencies = list(framework.competencies.order_by("order"))
    if isinstance(levels, dict):
        return {c.pk: RatingInput(level=levels[c.code]) for c in competencies if c.code in levels}
    return {c.pk: RatingInput(level=level) for c, level in zip(competencies, levels, strict=True)}


def assess(
    person: Any,
    levels: Sequence[int] | dict[str, int],
    *,
    assessor: Any = None,
    kind: str = AssessmentKind.SELF,
    on: date = date(2026, 3, 1),
    submit: bool = True,
    framework: Framework | None = None,
) -> Assessment:
    framework = framework or inspector_framework()
    return assessment_record(
        actor=assessor or person,
        person=person,
        framework=framework,
        kind=kind,
        assessed_on=on,
        ratings=ratings(framework, levels),
        submit=submit,
    )


def form_data(framework: Framework, level: int = 2, **extra: Any) -> dict[str, Any]:
    data = {f"competency_{c.pk}": str(level) for c in framework.competencies.all()}
    return {"assessed_on": "2026-03-01", "round_label": "", "action": "submit", **data, **extra}
