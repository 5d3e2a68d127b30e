"""The risk picture against hand counts: each factor's points, the level and the trend."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ruta.networks.models import RiskFactor, Threat, VulnerabilityValue
from ruta.networks.risk import department_levels, risk_pictures
from tests.networks.factories import make_alert, make_threat, place, verified_threat


def _points(picture: Any) -> dict[str, Decimal]:
    return {c.factor.code: c.points for c in picture.contributions}


@pytest.mark.django_db
def test_points_level_and_trend_match_hand_counts(personas: dict[str, Any]) -> None:
    today = timezone.localdate()
    now = timezone.now()
    for _ in range(3):
        make_alert("0801")  # this period
    make_alert("0801", received_at=now - timedelta(days=120))  # the previous period
    make_alert("0801", received_at=now - timedelta(days=400))  # neither
    make_alert("0501")  # another municipality
    verified_threat(personas)
    verified_threat(personas)
    make_threat(personas)  # reported, not verified: does not count
    earlier = verified_threat(personas)
    Threat.objects.filter(pk=earlier.pk).update(decided_at=now - timedelta(days=100))
    VulnerabilityValue.objects.create(
        factor=RiskFactor.objects.get(code="emigration"),
        municipality=place("0801"),
        year=today.year - 1,
        value=Decimal("7.5"),
        source="Encuesta de hogares (ilustrativa)",
        is_illustrative=True,
        imported_by=personas["administrator"],
    )

    [picture] = risk_pictures(until=today, municipalities=[place("0801")])
    # By hand, with the default weights (points = weight × min(value / saturation, 1)):
    # alerts 30 × 3/20 = 4.5; verified threats 30 × 2/5 = 12; inspections 0; emigration 10 × 7.5/15 = 5.
    assert _points(picture) == {
        "alerts": Decimal("4.50"),
        "verified_threats": Decimal("12.00"),
        "inspection_findings": Decimal("0.00"),
        "emigration": Decimal("5.00"),
        "school_dropout": Decimal("0"),
    }
    assert picture.points == Decimal("21.50") and picture.maximum == Decimal("100")
    assert picture.level == "low"  # 21.5 % of the maximum
    # Previous period: one alert (1.5), one verified threat (6), the same emigration (5) = 12.5.
    assert picture.previous_points == Decimal("12.50")
    assert picture.trend == "up"
    emigration = next(c for c in picture.contributions if c.factor.code == "emigration")
    assert emigration.illustrative and "Encuesta de hogares" in emigration.note
    school = next(c for c in picture.contributions if c.factor.code == "school_dropout")
    assert school.value is None  # no data is said, not guessed


@pytest.mark.django_db
def test_saturation_caps_each_factor_and_levels_follow_the_share(personas: dict[str, Any]) -> None:
    for _ in range(7):
        verified_threat(personas, municipality="0803")  # 7 > saturation 5 → full 30
    RiskFactor.objects.filter(code="alerts").update(saturation=2)
    make_alert("0803")  # 30 × 1/2 = 15
    [picture] = risk_pictures(until=timezone.localdate(), municipalities=[place("0803")])
    assert _points(picture)["verified_threats"] == Decimal("30.00")
    assert picture.points == Decimal("45.00") and picture.level == "medium"
    make_alert("0803")  # 30 × 2/2 = 30 → 60 of 100
    [picture] = risk_pictures(until=timezone.localdate(), municipalities=[place("0803")])
    assert picture.level == "high"
    assert department_levels([picture]) == {"08": "high"}


@pytest.mark.django_db
def test_weights_are_data(personas: dict[str, Any]) -> None:
    make_alert("0801")
    RiskFactor.objects.filter(code="alerts").update(weight=Decimal("60"), saturation=1)
    RiskFactor.objects.exclude(code="alerts").update(is_active=False)
    [picture] = risk_pictures(until=timezone.localdate(), municipalities=[place("0801")])
    assert picture.maximum == Decimal("60") and picture.points == Decimal("60.00") and picture.level == "high"


@pytest.mark.django_db
def test_points_from_a_small_count_are_not_shown(client: Any, login: Any, personas: dict[str, Any]) -> None:
    """With the weight and saturation, 4.5 points from the alerts would say there were 3 alerts."""
    for _ in range(3):
        make_alert("0801")
    [picture] = risk_pictures(until=timezone.localdate(), municipalities=[place("0801")])
    alerts = next(c for c in picture.contributions if c.factor.code == "alerts")
    assert alerts.points == Decimal("4.50") and alerts.shown == "<11"
    assert alerts.shown_points is None and picture.shown_points is None
    login("analyst")
    body = client.get(reverse("networks:risk-data")).json()
    [row] = [row for row in body["municipalities"] if row["code"] == "0801"]
    assert row["points"] is None and row["level"] == picture.level
    assert {factor["code"]: factor["points"] for factor in row["factors"]}["alerts"] is None
    page = client.get(reverse("networks:risk")).content.decode()
    assert "4.5" not in page and "points not shown (small count)" in page


@pytest.mark.django_db
def test_points_from_counts_of_k_or_more_are_shown(personas: dict[str, Any]) -> None:
    for _ in range(11):
        make_alert("0801")
    [picture] = risk_pictures(until=timezone.localdate(), municipalities=[place("0801")])
    alerts = next(c for c in picture.contributions if c.factor.code == "alerts")
    assert alerts.shown == 11 and alerts.shown_points == Decimal("16.50")
