from __future__ import annotations

from typing import Any

from ruta.cases.demo import seed
from ruta.cases.models import Case, Stage


def test_demo_cases_cover_the_stages_and_are_idempotent(personas: dict[str, Any]) -> None:
    assert seed(personas) == {"cases": 5}
    assert seed(personas) == {"cases": 0}
    cases = Case.objects.all()
    assert cases.count() == 5 and all(case.is_synthetic for case in cases)
    assert {case.stage for case in cases} >= {
        Stage.SERVICES,
        Stage.PLANNING,
        Stage.IDENTIFICATION,
        Stage.CLOSURE_REQUESTED,
        Stage.CLOSED,
    }
    assert cases.filter(exploitation="sexual").count() == 4
    assert cases.filter(has_child=True).count() == 1
    assert {case.municipality.department.code for case in cases} == {"05", "08"}
