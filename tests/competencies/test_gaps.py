"""Gaps and levels over time against hand counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ruta.competencies.models import AssessmentKind
from ruta.competencies.selectors import gaps_for, levels_over_time
from tests.competencies.factories import assess, inspector_framework

pytestmark = pytest.mark.django_db

# The seeded targets for labour inspectors, LI-01 … LI-13.
TARGETS = [3, 3, 3, 3, 3, 3, 4, 4, 3, 3, 3, 2, 2]


def test_gaps_follow_the_targets_and_never_go_below_zero(personas: dict[str, Any]) -> None:
    inspector = personas["labour_inspector"]
    levels = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1]
    assess(inspector, levels)
    gaps = gaps_for(inspector, inspector_framework())
    assert [gap.competency.code for gap in gaps] == [f"LI-{n:02d}" for n in range(1, 14)]
    assert [gap.target for gap in gaps] == TARGETS
    assert [gap.current for gap in gaps] == levels
    # By hand: max(target - level, 0).
    assert [gap.gap for gap in gaps] == [2, 1, 0, 0, 2, 1, 1, 0, 2, 1, 0, 0, 1]


def test_someone_elses_rating_wins_over_a_later_self_rating(personas: dict[str, Any]) -> None:
    inspector, coordinator = personas["labour_inspector"], personas["training_coordinator"]
    assess(inspector, [2] * 13, on=date(2026, 3, 1))
    assess(inspector, [1] * 13, assessor=coordinator, kind=AssessmentKind.SUPERVISOR, on=date(2026, 3, 10))
    assess(inspector, [4] * 13, on=date(2026, 3, 20))
    gaps = gaps_for(inspector, inspector_framework())
    assert {gap.current for gap in gaps} == {1}
    # A later follow-up by the coordinator replaces the supervisor rating.
    assess(inspector, [3] * 13, assessor=coordinator, kind=AssessmentKind.FOLLOW_UP, on=date(2026, 6, 1))
    gaps = gaps_for(inspector, inspector_framework())
    assert {gap.current for gap in gaps} == {3}
    assert [gap.gap for gap in gaps] == [max(target - 3, 0) for target in TARGETS]


def test_drafts_and_unrated_competencies_give_no_level(personas: dict[str, Any]) -> None:
    inspector = personas["labour_inspector"]
    assess(inspector, {"LI-01": 1}, submit=False)
    gaps = gaps_for(inspector, inspector_framework())
    assert all(gap.current is None and gap.gap is None for gap in gaps)
    assert all(gap.target is not None for gap in gaps)


def test_a_person_outside_the_role_is_measured_against_the_frameworks_targets(personas: dict[str, Any]) -> None:
    trainer = personas["trainer"]
    assess(trainer, [2] * 13)
    assert [gap.target for gap in gaps_for(trainer, inspector_framework())] == TARGETS


def test_levels_over_time_lists_every_submitted_rating_oldest_first(personas: dict[str, Any]) -> None:
    inspector, coordinator = personas["labour_inspector"], personas["training_coordinator"]
    assess(inspector, [1] * 13, on=date(2026, 2, 1))
    assess(inspector, [3] * 13, assessor=coordinator, kind=AssessmentKind.SUPERVISOR, on=date(2026, 5, 1))
    assess(inspector, [4] * 13, on=date(2026, 6, 1), submit=False)
    points = levels_over_time(inspector)
    assert len(points) == 26
    first = [point for point in points if point.competency.code == "LI-01"]
    assert [(point.assessed_on, point.kind, point.level) for point in first] == [
        (date(2026, 2, 1), "self", 1),
        (date(2026, 5, 1), "supervisor", 3),
    ]
    assert levels_over_time(coordinator) == []
