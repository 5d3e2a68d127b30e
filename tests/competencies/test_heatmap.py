"""The gap heat map against hand counts, and who it counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ruta.accounts.models import Membership
from ruta.competencies.models import AssessmentKind
from ruta.competencies.selectors import gap_heatmap
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from tests.competencies.factories import assess, inspector_framework

pytestmark = pytest.mark.django_db


def _inspector(username: str, department: str) -> Any:
    user = get_user_model().objects.create_user(username=username, first_name="Nombre", last_name=username)
    Membership.objects.create(
        user=user,
        institution=Institution.objects.get(code="stss"),
        role="labour_inspector",
        department=Department.objects.get(code=department),
    )
    return user


@pytest.fixture
def assessed(personas: dict[str, Any]) -> dict[str, Any]:
    """Three STSS inspectors: two in Cortés (05), one in Francisco Morazán (08)."""
    cortes_a, cortes_b, fm = _inspector("insp.a", "05"), _inspector("insp.b", "05"), _inspector("insp.c", "08")
    coordinator = personas["training_coordinator"]
    # LI-01 (target 3): 1, 2, 3 → gaps 2, 1, 0. LI-07 (target 4): 4, 1, 2 → gaps 0, 3, 2.
    assess(cortes_a, {"LI-01": 1, "LI-07": 4} | _rest(2))
    assess(cortes_b, {"LI-01": 2, "LI-07": 1} | _rest(2), assessor=coordinator, kind=AssessmentKind.SUPERVISOR)
    assess(fm, {"LI-01": 3, "LI-07": 2} | _rest(2))
    # A draft counts for nothing.
    assess(personas["labour_inspector"], {"LI-01": 1}, submit=False)
    return {"cortes": Department.objects.get(code="05"), "fm": Department.objects.get(code="08")}


def _rest(level: int) -> dict[str, int]:
    return {f"LI-{n:02d}": level for n in range(1, 14) if n not in (1, 7)}


def _cell(heatmap: Any, key: Any, code: str) -> Any:
    row = next(row for row in heatmap.rows if row.key == key)
    return next(cell for cell in row.cells if cell.competency.code == code)


def test_by_department_means_and_counts(assessed: dict[str, Any], personas: dict[str, Any]) -> None:
    heatmap = gap_heatmap(inspector_framework(), by="department", reader=personas["training_coordinator"])
    assert {row.key for row in heatmap.rows} == {assessed["cortes"].pk, assessed["fm"].pk}
    cortes = assessed["cortes"].pk
    assert (_cell(heatmap, cortes, "LI-01").mean_gap, _cell(heatmap, cortes, "LI-01").persons) == (1.5, 2)
    assert (_cell(heatmap, cortes, "LI-07").mean_gap, _cell(heatmap, cortes, "LI-07").persons) == (1.5, 2)
    fm = assessed["fm"].pk
    assert (_cell(heatmap, fm, "LI-01").mean_gap, _cell(heatmap, fm, "LI-07").mean_gap) == (0.0, 2.0)
    # LI-12 (target 2), everyone at 2: no gap.
    assert _cell(heatmap, cortes, "LI-12").mean_gap == 0.0


def test_by_institution_pools_the_three(assessed: dict[str, Any], personas: dict[str, Any]) -> None:
    heatmap = gap_heatmap(inspector_framework(), by="institution", reader=personas["training_coordinator"])
    stss = Institution.objects.get(code="stss").pk
    assert [row.key for row in heatmap.rows] == [stss]
    assert heatmap.rows[0].persons == 3
    assert _cell(heatmap, stss, "LI-01").mean_gap == pytest.approx((2 + 1 + 0) / 3)
    assert _cell(heatmap, stss, "LI-07").mean_gap == pytest.approx((0 + 3 + 2) / 3)
    assert _cell(heatmap, stss, "LI-07").persons == 3


def test_readers_count_only_what_their_grant_reaches(assessed: dict[str, Any], personas: dict[str, Any]) -> None:
    framework = inspector_framework()
    # SESAL's supervisor reaches SESAL's people only: no inspector.
    assert gap_heatmap(framework, by="institution", reader=personas["supervisor_health"]).rows == []
    # No heat-map permission: nothing.
    assert gap_heatmap(framework, by="institution", reader=personas["caseworker"]).rows == []
    assert gap_heatmap(framework, by="institution", reader=None).rows == []
    # The analyst sees the national aggregate.
    assert gap_heatmap(framework, by="institution", reader=personas["analyst"]).rows[0].persons == 3


def test_the_page_shows_numbers_and_counts_but_no_names(
    assessed: dict[str, Any], personas: dict[str, Any], client: Any
) -> None:
    client.force_login(personas["training_coordinator"])
    response = client.get(reverse("competencies:heatmap"), {"by": "department", "framework": "labour-inspectors"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1.5 <small>(2)</small>" in page
    assert "Cortés" in page
    assert "insp.a" not in page and "insp.b" not in page


def test_the_heat_map_reads_a_fixed_number_of_queries(assessed: dict[str, Any], personas: dict[str, Any]) -> None:
    framework, reader = inspector_framework(), personas["training_coordinator"]
    gap_heatmap(framework, by="department", reader=reader)  # the reader's grants are cached from here on
    with CaptureQueriesContext(connection) as few:
        gap_heatmap(framework, by="department", reader=reader)
    for number in range(4):
        assess(_inspector(f"insp.extra{number}", "03"), [1] * 13)
    with CaptureQueriesContext(connection) as more:
        gap_heatmap(framework, by="department", reader=reader)
    assert len(more.captured_queries) == len(few.captured_queries) <= 10
