"""The demo assessments: the heat map has something to show at once, and seeding twice adds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.competencies import demo
from ruta.competencies.models import Assessment
from ruta.competencies.selectors import gap_heatmap
from ruta.core.indicators import indicator
from tests.competencies.factories import assess, inspector_framework

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_feeds_the_heat_map(personas: dict[str, Any]) -> None:
    first = demo.seed(personas)
    # Six inspectors: self and supervisor assessments each, a follow-up for every second one.
    assert first == {"assessments": 6 * 2 + 3}
    assert demo.seed(personas) == {"assessments": 0}
    assert Assessment.objects.count() == 15
    assert not Assessment.objects.filter(is_synthetic=False).exists()
    heatmap = gap_heatmap(inspector_framework(), by="department", reader=personas["training_coordinator"])
    assert sum(row.persons for row in heatmap.rows) == 6
    assert len(heatmap.rows) >= 4


def test_the_indicator_counts_real_submitted_assessments(personas: dict[str, Any]) -> None:
    demo.seed(personas)
    assess(personas["trainer"], [2] * 13)
    assess(personas["labour_inspector"], [2] * 13, submit=False)
    counts = indicator("competencies.assessments_submitted").count(by=("kind",))
    assert counts == {("self",): 1}
