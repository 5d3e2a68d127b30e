"""The pages over the services: forms, messages, and what each person sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ruta.competencies.models import TargetLevel
from ruta.training.models import Course, Question, QuizKind, Submission, SurveyResponse
from tests.training.factories import bank, competency, enrol, make_course, make_session, open_test

pytestmark = pytest.mark.django_db


def test_course_from_the_framework_takes_the_target_levels(personas: dict[str, Any], client: Client) -> None:
    client.force_login(personas["training_coordinator"])
    chosen = [competency("LI-06"), competency("LI-08")]
    response = client.post(
        reverse("training:course_new"),
        {
            "framework": "labour-inspectors",
            "title": "Niñez y entrevistas",
            "competencies": [c.pk for c in chosen],
            "hours_per_module": "3",
            "min_attendance": "75",
            "min_post_score": "60",
        },
    )
    assert response.status_code == 302
    course = Course.objects.get(title="Niñez y entrevistas")
    targets = {t.competency_id: t.level for t in TargetLevel.objects.filter(role="labour_inspector")}
    assert [(m.competency_id, m.target_level) for m in course.modules.all()] == [
        (c.pk, targets.get(c.pk, 3)) for c in chosen
    ]
    assert (course.min_attendance, course.min_post_score, course.hours) == (0.75, 60, 6)
    empty = client.post(reverse("training:course_new"), {"framework": "labour-inspectors", "title": "x"})
    assert empty.status_code == 400 and not Course.objects.filter(title="x").exists()


def test_question_bank_page(personas: dict[str, Any], client: Client) -> None:
    client.force_login(personas["trainer"])
    url = reverse("training:questions")
    target = competency("LI-07").pk
    ok = client.post(
        url,
        {
            "competency": target,
            "kind": "multiple",
            "text": "¿Indicadores?",
            "choices": "Deudas\nSalario\nEncierro",
            "correct": "1, 3",
        },
    )
    assert ok.status_code == 302
    question = Question.objects.get(text="¿Indicadores?")
    assert question.correct == ["c1", "c3"] and [c["text"] for c in question.choices] == [
        "Deudas",
        "Salario",
        "Encierro",
    ]
    bad = client.post(url, {"competency": target, "kind": "single", "text": "¿?", "choices": "A\nB", "correct": "1,2"})
    assert bad.status_code == 400 and "exactly one right choice" in bad.content.decode()
    assert not Question.objects.filter(text="¿?").exists()


def test_attendance_page_refuses_a_forged_code(personas: dict[str, Any], client: Client) -> None:
    session = make_session(personas)
    client.force_login(personas["trainer"])
    response = client.post(
        reverse("training:attendance", kwargs={"pk": session.pk}),
        {"token": "forged", "day": session.starts_on.isoformat()},
        follow=True,
    )
    assert "not the code of anyone enrolled" in response.content.decode()


def test_participant_takes_a_test_once_and_answers_the_survey(personas: dict[str, Any], client: Client) -> None:
    bank(personas)
    session = make_session(personas, course=make_course(personas, codes=("LI-06",)))
    enrolment = enrol(personas, session)
    test = open_test(personas, session, QuizKind.PRE)
    client.force_login(personas["labour_inspector"])
    url = reverse("training:take_test", kwargs={"pk": test.pk})
    page = client.get(url).content.decode()
    assert "Send my answers" in page
    assert client.post(url, {"key": "one"}).status_code == 302
    again = client.post(url, {"key": "two"})
    assert again.status_code == 400 and "already submitted" in again.content.decode()
    assert Submission.objects.filter(test=test).count() == 1
    survey = reverse("training:survey", kwargs={"pk": enrolment.pk})
    answers = {f"item_{code}": "4" for code in ("relevant", "clear", "practice", "materials", "apply")}
    assert client.post(survey, {**answers, "comment": "Bien"}).status_code == 302
    twice = client.post(survey, answers)
    assert twice.status_code == 400 and "already answered" in twice.content.decode()
    assert SurveyResponse.objects.get().ratings == dict.fromkeys(
        ("relevant", "clear", "practice", "materials", "apply"), 4
    )
