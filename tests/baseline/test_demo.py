"""The demo study: the figures the issue quotes come out of the rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ruta.baseline import demo
from ruta.baseline.figures import capacity_comparison, initiatives_by_pillar, workshop_figures
from ruta.baseline.models import Initiative, Study

pytestmark = pytest.mark.django_db


def test_demo_seed_gives_the_workshop_figures_and_is_idempotent(personas: dict[str, Any]) -> None:
    assert demo.seed(personas)["studies"] == 1
    assert demo.seed(personas) == {"studies": 0}
    study = Study.objects.get(title=demo.STUDY_TITLE)
    workshop = study.rounds.get(kind="baseline").workshops.get()
    figures = workshop_figures(workshop)
    assert (figures.participants, figures.institutions) == (35, 12)
    assert (figures.women.count, figures.women.percent) == (17, Decimal("48.6"))
    assert [session.present for session in figures.sessions] == [35, 31]
    assert {row.pillar: row.count for row in initiatives_by_pillar(Initiative.objects.all())} == {
        "prevention": 4,
        "protection": 6,
        "prosecution": 4,
        "partnership": 3,
    }
    comparison = capacity_comparison(study)
    protocols = next(dimension.pk for dimension in comparison.dimensions if dimension.code == "protocols")
    # ERI 2→4, STSS 2→3, SESAL 1→3, SENAF 2→3: mean change (2 + 1 + 2 + 1) / 4.
    assert comparison.mean_change(protocols) == Decimal("1.50")
