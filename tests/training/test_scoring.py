"""Scoring and item statistics against hand computations."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from ruta.training import scoring, selectors, services
from ruta.training.models import QuizKind
from tests.training.factories import bank, enrol, make_course, make_session, open_test


def test_point_biserial_by_hand() -> None:
    # Totals 5,4,3,2,1; the three best got it right. p = 0.6; mean 3; population sd = √2;
    # M1 = 4, M0 = 1.5; r = 2.5 / √2 × √(0.6 × 0.4) = √3 / 2.
    stats = scoring.item_statistics([True, True, True, False, False], [5, 4, 3, 2, 1])
    assert stats.takers == 5 and stats.right == 3
    assert stats.difficulty == pytest.approx(0.6)
    assert stats.discrimination == pytest.approx(math.sqrt(3) / 2)


def test_negative_discrimination_by_hand() -> None:
    # p = 0.5; mean 2.5; variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25; M1 = 1.5, M0 = 3.5;
    # r = −2 / √1.25 × 0.5 = −2 / √5: the weak takers got it right, the item is flagged.
    stats = scoring.item_statistics([False, True, False, True], [4, 2, 3, 1])
    assert stats.discrimination == pytest.approx(-2 / math.sqrt(5))
    assert stats.is_weak


def test_discrimination_undefined_when_everyone_is_right() -> None:
    stats = scoring.item_statistics([True] * 4, [3, 1, 2, 2])
    assert stats.difficulty == 1.0 and stats.discrimination is None and stats.is_weak  # too easy
    assert not scoring.item_statistics([True] * 3, [3, 1, 2]).is_weak  # too few takers to judge


def test_multiple_choice_is_all_or_nothing() -> None:
    assert scoring.is_correct("multiple", ["a", "c"], ["c", "a"]) is True
    assert scoring.is_correct("multiple", ["a", "c"], ["a"]) is False
    assert scoring.is_correct("multiple", ["a", "c"], ["a", "b", "c"]) is False
    assert scoring.is_correct("single", ["b"], []) is False
    assert scoring.is_correct("short", [], ["text"]) is None


@pytest.mark.django_db
def test_submission_scored_and_short_answer_marked(personas: dict[str, Any]) -> None:
    questions = bank(personas)
    session = make_session(personas, course=make_course(personas, codes=("LI-06",)))
    enrolment = enrol(personas, session)
    test = open_test(personas, session)
    responses = {
        questions["single"].pk: ["b"],  # right
        questions["multiple"].pk: ["a"],  # wrong: one of two
        questions["true_false"].pk: ["true"],  # right
        questions["short"].pk: ["Con calma y en privado"],
    }
    submission = services.test_submit(
        actor=personas["labour_inspector"], test=test, enrolment=enrolment, responses=responses, key="k1"
    )
    assert (submission.points, submission.max_points, submission.score) == (2, 4, None)  # waits for the mark
    short = submission.answers.get(question=questions["short"])
    services.answer_mark(actor=personas["trainer"], answer=short, correct=True)
    submission.refresh_from_db()
    assert (submission.points, submission.score) == (3, Decimal("75.00"))


@pytest.mark.django_db
def test_gain_and_item_statistics_of_a_session(personas: dict[str, Any]) -> None:
    questions = bank(personas)
    session = make_session(personas, course=make_course(personas, codes=("LI-06",)))
    people = ["labour_inspector", "caseworker", "eri_responder"]
    enrolments = [enrol(personas, session, key) for key in people]
    right = {"single": ["b"], "multiple": ["a", "c"], "true_false": ["true"], "short": ["x"]}
    wrong = {"single": ["a"], "multiple": ["a"], "true_false": ["false"], "short": ["x"]}
    # Pre: right answers per person on single, multiple, true_false (short marked wrong).
    pre_pattern = [("single",), ("single", "true_false"), ()]
    post_pattern = [("single", "multiple", "true_false"), ("single", "true_false"), ("single",)]
    for kind, pattern in ((QuizKind.PRE, pre_pattern), (QuizKind.POST, post_pattern)):
        test = open_test(personas, session, kind)
        for index, enrolment in enumerate(enrolments):
            responses = {
                question.pk: (right if name in pattern[index] else wrong)[name] for name, question in questions.items()
            }
            submission = services.test_submit(
                actor=enrolment.participant, test=test, enrolment=enrolment, responses=responses, key=f"{kind}{index}"
            )
            services.answer_mark(
                actor=personas["trainer"], answer=submission.answers.get(question=questions["short"]), correct=False
            )
    results = selectors.session_results(session)
    by_person = {row.enrolment.participant.username: row for row in results.participants}
    # Pre: 1/4, 2/4, 0/4 = 25, 50, 0; post: 3/4, 2/4, 1/4 = 75, 50, 25.
    inspector = by_person[personas["labour_inspector"].username]
    assert (inspector.pre, inspector.post, inspector.gain) == (Decimal("25.00"), Decimal("75.00"), Decimal("50.00"))
    assert results.mean_pre == Decimal("25.00")
    assert results.mean_post == Decimal("50.00")
    assert results.mean_gain == Decimal("25.00") and results.with_both == 3
    post = session.tests.get(kind=QuizKind.POST)
    stats = {row.question.text: row.stats for row in selectors.item_statistics(post)}
    # Post totals 3, 2, 1. Single: everyone right → p = 1, r undefined. True/false: the first two
    # right: p = 2/3, M1 = 2.5, M0 = 1, sd = √(2/3): r = 1.5 / √(2/3) × √(2/9) = √3 / 2.
    assert stats["Single"].difficulty == 1.0 and stats["Single"].discrimination is None
    assert stats["TF"].difficulty == pytest.approx(2 / 3)
    assert stats["TF"].discrimination == pytest.approx(math.sqrt(3) / 2)
    assert stats["Short"].difficulty == 0.0
