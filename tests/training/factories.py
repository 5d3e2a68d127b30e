"""A small training world: a course from the inspectors' framework, a session given by the trainer
persona, the labour inspector (and others) enrolled, a question bank of one item per kind."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ruta.competencies.inspector_framework import FRAMEWORK_CODE
from ruta.competencies.models import Competency, Framework
from ruta.institutions.models import Institution
from ruta.training import services
from ruta.training.models import (
    Certificate,
    Course,
    Enrolment,
    Question,
    QuestionKind,
    QuizKind,
    SessionTest,
    TrainingSession,
)


def framework() -> Framework:
    return Framework.objects.get(code=FRAMEWORK_CODE)


def competency(code: str = "LI-06") -> Competency:
    return Competency.objects.get(framework=framework(), code=code)


def make_course(personas: dict[str, Any], *, codes: tuple[str, ...] = ("LI-06", "LI-07"), **rules: Any) -> Course:
    return services.course_from_framework(
        actor=personas["training_coordinator"],
        institution=Institution.objects.get(code="ong-fortalece"),
        framework=framework(),
        competencies=[competency(code) for code in codes],
        title="Entrevistas e indicadores",
        role="labour_inspector",
        **rules,
    )


def make_session(
    personas: dict[str, Any],
    *,
    course: Course | None = None,
    starts_on: date | None = None,
    days: int = 2,
    capacity: int = 10,
) -> TrainingSession:
    starts_on = starts_on or timezone.localdate() - timedelta(days=10)
    return services.session_create(
        actor=personas["training_coordinator"],
        course=course or make_course(personas),
        institution=Institution.objects.get(code="ong-fortalece"),
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
        capacity=capacity,
        trainers=[personas["trainer"]],
        place="Tegucigalpa",
    )


def enrol(personas: dict[str, Any], session: TrainingSession, key: str = "labour_inspector") -> Enrolment:
    person = personas[key]
    membership = person.memberships.first()
    return services.enrol(
        actor=personas["training_coordinator"], session=session, participant=person, institution=membership.institution
    )


def bank(personas: dict[str, Any], code: str = "LI-06") -> dict[str, Question]:
    """One question of each kind for the competency."""
    actor = personas["trainer"]
    target = competency(code)
    choices = [{"key": "a", "text": "A"}, {"key": "b", "text": "B"}, {"key": "c", "text": "C"}]
    return {
        "single": services.question_create(
            actor=actor, competency=target, kind=QuestionKind.SINGLE, text="Single", choices=choices, correct=["b"]
        ),
        "multiple": services.question_create(
            actor=actor,
            competency=target,
            kind=QuestionKind.MULTIPLE,
            text="Multi",
            choices=choices,
            correct=["a", "c"],
        ),
        "true_false": services.question_create(
            actor=actor, competency=target, kind=QuestionKind.TRUE_FALSE, text="TF", correct=["true"]
        ),
        "short": services.question_create(actor=actor, competency=target, kind=QuestionKind.SHORT, text="Short"),
    }


def open_test(personas: dict[str, Any], session: TrainingSession, kind: str = QuizKind.PRE) -> SessionTest:
    test = session.tests.get(kind=kind)
    if not test.questions.exists():
        services.tests_draw(actor=personas["trainer"], session=session, per_competency=10)
        test.refresh_from_db()
    return services.test_advance(actor=personas["trainer"], test=test)


def attend_all(personas: dict[str, Any], enrolment: Enrolment) -> None:
    for day in enrolment.session.days.all():
        services.attendance_record(actor=personas["trainer"], enrolment=enrolment, on=day.date, method="list")


HALF = Decimal("50.00")


def scored_enrolment(
    personas: dict[str, Any], *, right: int = 3, min_post_score: int = 70, attend: str = "all"
) -> Enrolment:
    """A finished session with the inspector enrolled, their post-test answered right ``right`` of 3
    (no short answer, so the score is known at once)."""
    questions = bank(personas)
    Question.objects.filter(pk=questions.pop("short").pk).update(is_active=False)
    course = make_course(personas, codes=("LI-06",), min_post_score=Decimal(min_post_score))
    session = make_session(personas, course=course)
    enrolment = enrol(personas, session)
    if attend == "all":
        attend_all(personas, enrolment)
    else:
        services.attendance_record(actor=personas["trainer"], enrolment=enrolment, on=session.starts_on, method="list")
    test = open_test(personas, session, QuizKind.POST)
    answers = {"single": ["b"], "multiple": ["a", "c"], "true_false": ["true"]}
    responses = {
        question.pk: answers[name] if index < right else ["zzz"]
        for index, (name, question) in enumerate(questions.items())
    }
    services.test_submit(
        actor=personas["labour_inspector"], test=test, enrolment=enrolment, responses=responses, key="p"
    )
    return enrolment


def certified(personas: dict[str, Any]) -> Certificate:
    return services.certificate_issue(actor=personas["trainer"], enrolment=scored_enrolment(personas))
