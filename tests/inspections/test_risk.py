"""The risk score (hand-computed from the weights), its explanation, and the ranked plan."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from ruta.alerts.intake import AlertInput, alert_submit
from ruta.geo.models import Department, Municipality
from ruta.inspections.models import Establishment, RiskFactor
from ruta.inspections.risk import FactorDef, ranked_plan, refresh_risk, score
from tests.inspections.factories import (
    all_steps_done,
    establishment,
    interview_record,
    planned_visit,
    sync,
    visit_record,
)

pytestmark = pytest.mark.django_db


def test_score_is_the_sum_of_capped_contributions() -> None:
    factors = [
        FactorDef("sector", 1, 100, 0),
        FactorDef("earlier_findings", 15, 4, 1095),
        FactorDef("complaints", 10, 2, 730),
        FactorDef("area_alerts", 1, 20, 365),
    ]
    total, explained = score(35, {"earlier_findings": 1, "complaints": 5, "area_alerts": 0}, factors)
    # 35×1 + 1×15 + min(5, 2)×10 = 70; no alerts: no line for them.
    assert total == 70
    assert explained == [
        {"factor": "sector", "units": 35, "points": 35},
        {"factor": "earlier_findings", "units": 1, "points": 15},
        {"factor": "complaints", "units": 2, "points": 20},
    ]


def test_stored_score_from_the_data(personas: dict[str, Any]) -> None:
    place = establishment(personas, sector="97", municipality="0501")  # domestic work: weight 35
    assert (place.risk_score, place.risk_factors) == (35, [{"factor": "sector", "units": 35, "points": 35}])
    san_pedro = Municipality.objects.get(code="0501")
    for _ in range(3):
        alert_submit(
            actor=None, data=AlertInput(narrative="Trabajo forzoso", municipality=san_pedro), channel="public_web"
        )
    found = planned_visit(personas, place=place)
    sync(
        personas,
        interview_record(found, forced_labour_indicators=["FL03"]),
        visit_record(found, steps=all_steps_done(found), status="completed", closed_at="2026-03-02T15:00:00-06:00"),
    )
    for _ in range(2):
        planned_visit(personas, place=place, inspection_type="complaint", planned_for=timezone.localdate())
    RiskFactor.objects.filter(code="complaints").update(cap=1)
    refresh_risk(establishment_ids=[place.pk])
    place.refresh_from_db()
    # sector 35 + findings 1×15 + complaints min(2, 1)×10 + alerts 3×1 = 63
    assert place.risk_score == 63
    assert {item["factor"]: item["points"] for item in place.risk_factors} == {
        "sector": 35,
        "earlier_findings": 15,
        "complaints": 10,
        "area_alerts": 3,
    }


def test_ranked_plan_for_a_department(personas: dict[str, Any]) -> None:
    bar = establishment(personas, sector="5630", municipality="0501")  # 35
    maquila = establishment(personas, sector="14", municipality="0502")  # 15
    shop = establishment(personas, sector="G", municipality="0501")  # 5
    establishment(personas, sector="97", municipality="0801")  # another department
    planned_visit(personas, place=maquila, planned_for=date(2026, 5, 10))
    rows = ranked_plan(
        Establishment.objects.all(),
        department_id=Department.objects.get(code="05").pk,
        since=date(2026, 5, 1),
        until=date(2026, 5, 31),
    )
    assert [row.pk for row in rows] == [bar.pk, maquila.pk, shop.pk]
    assert [row.planned for row in rows] == [False, True, False]  # type: ignore[attr-defined]


def test_plan_page_shows_the_explanation(client: Any, personas: dict[str, Any]) -> None:
    establishment(personas, name="Bar La Luna", sector="5630", municipality="0501")
    client.force_login(personas["inspection_supervisor"])
    department = Department.objects.get(code="05")
    response = client.get("/inspections/plan/", {"department": department.pk})
    body = response.content.decode()
    assert response.status_code == 200 and "Bar La Luna" in body
    assert "Economic sector weight: +35" in body
