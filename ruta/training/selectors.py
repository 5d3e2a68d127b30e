"""Reads: which sessions a user reaches, a session's results (scores, knowledge gain, item
statistics, survey), and a person's training record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from ruta.accounts.models import User
from ruta.policy import access
from ruta.training import scoring
from ruta.training.models import (
    Answer,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    Question,
    QuizKind,
    SessionTest,
    Submission,
    SurveyResponse,
    TrainingSession,
)
from ruta.training.permissions import TrainingPermission
from ruta.training.survey import ITEMS

SESSION_PERMISSIONS = (TrainingPermission.SESSION_MANAGE, TrainingPermission.SESSION_RUN)


def sessions_for(user: User) -> QuerySet[TrainingSession]:
    """Every session the user manages (coordinator) or gives (trainer)."""
    condition = Q(pk__in=[])
    for permission in SESSION_PERMISSIONS:
        reach = access.scope_filter(user, permission, TrainingSession)
        if reach is None:
            return TrainingSession.objects.select_related("course", "institution")
        condition |= reach
    return TrainingSession.objects.filter(condition).select_related("course", "institution")


def session_for(user: User, pk: int, permission: Any = None) -> TrainingSession:
    """The session, if the user reaches it with ``permission`` (either session permission when None)."""
    permissions = (permission,) if permission else SESSION_PERMISSIONS
    for candidate in permissions:
        if access.visible(user, candidate, TrainingSession.objects.filter(pk=pk)).exists():
            return TrainingSession.objects.select_related("course", "institution", "department").get(pk=pk)
    raise Http404


def can_manage(user: User, session: TrainingSession) -> bool:
    return access.visible(
        user, TrainingPermission.SESSION_MANAGE, TrainingSession.objects.filter(pk=session.pk)
    ).exists()


@dataclass(frozen=True)
class ParticipantResult:
    enrolment: Enrolment
    attended_days: int
    pre: Decimal | None
    post: Decimal | None
    certificate: Certificate | None

    @property
    def gain(self) -> Decimal | None:
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre


@dataclass(frozen=True)
class SessionResults:
    participants: list[ParticipantResult]
    mean_pre: Decimal | None
    mean_post: Decimal | None
    mean_gain: Decimal | None
    with_both: int  # participants with a scored pre- and post-test: the gain's denominator


def session_results(session: TrainingSession) -> SessionResults:
    enrolments = (
        session.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        .select_related("participant", "institution")
        .annotate(attended=Count("attendances", distinct=True))
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    scores: dict[tuple[int, str], Decimal | None] = {
        (enrolment_id, kind): score
        for enrolment_id, kind, score in Submission.objects.filter(test__session=session).values_list(
            "enrolment_id", "test__kind", "score"
        )
    }
    certificates = {c.enrolment_id: c for c in Certificate.objects.filter(enrolment__session=session)}
    rows = [
        ParticipantResult(
            enrolment,
            enrolment.attended,  # type: ignore[attr-defined]
            scores.get((enrolment.pk, QuizKind.PRE)),
            scores.get((enrolment.pk, QuizKind.POST)),
            certificates.get(enrolment.pk),
        )
        for enrolment in enrolments
    ]
    both = [row for row in rows if row.gain is not None]
    return SessionResults(
        rows,
        scoring.mean(row.pre for row in rows if row.pre is not None),
        scoring.mean(row.post for row in rows if row.post is not None),
        scoring.mean(row.gain for row in both if row.gain is not None),
        len(both),
    )


@dataclass(frozen=True)
class ItemRow:
    question: Question
    stats: scoring.ItemStatistics


def item_statistics(test: SessionTest) -> list[ItemRow]:
    """Per item of the test, over its scored submissions (short answers not marked yet left out)."""
    answers = Answer.objects.filter(submission__test=test, is_correct__isnull=False).values_list(
        "submission_id", "question_id", "is_correct"
    )
    by_submission: dict[int, dict[int, bool]] = defaultdict(dict)
    for submission_id, question_id, correct in answers:
        by_submission[submission_id][question_id] = bool(correct)
    totals = {submission_id: sum(items.values()) for submission_id, items in by_submission.items()}
    rows = []
    for question in test.questions.select_related("competency").order_by("competency__order", "pk"):
        takers = [submission for submission, items in by_submission.items() if question.pk in items]
        stats = scoring.item_statistics(
            [by_submission[submission][question.pk] for submission in takers],
            [float(totals[submission]) for submission in takers],
        )
        rows.append(ItemRow(question, stats))
    return rows


@dataclass(frozen=True)
class SurveySummary:
    responses: int
    means: list[tuple[str, Decimal | None]]  # (statement, mean 1–5)
    comments: list[str]


def survey_summary(session: TrainingSession) -> SurveySummary:
    responses = list(SurveyResponse.objects.filter(enrolment__session=session).order_by("submitted_at"))
    means = [
        (str(label), scoring.mean(Decimal(r.ratings[code]) for r in responses if code in r.ratings))
        for code, label in ITEMS.items()
    ]
    return SurveySummary(len(responses), means, [r.comment for r in responses if r.comment.strip()])


def pending_short_answers(session: TrainingSession) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(submission__test__session=session, is_correct__isnull=True)
        .select_related("question", "submission__enrolment__participant", "submission__test")
        .order_by("submission__test__kind", "question_id", "pk")
    )


def my_enrolments(user: User) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(participant=user)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("session__course", "institution", "certificate")
        .prefetch_related(Prefetch("submissions", queryset=Submission.objects.select_related("test")), "attendances")
        .order_by("-session__starts_on", "-pk")
    )


@dataclass(frozen=True)
class RecordRow:
    enrolment: Enrolment
    attended_days: int
    pre: Decimal | None
    post: Decimal | None
    certificate: Certificate | None
    open_test: SessionTest | None  # a test the participant can take now
    survey_due: bool


def record_rows(person: User) -> list[RecordRow]:
    """A person's trainings with their scores and certificates, newest first."""
    enrolments = list(my_enrolments(person))
    open_tests = {
        test.session_id: test
        for test in SessionTest.objects.filter(
            status="open", session_id__in=[e.session_id for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
        ).exclude(submissions__enrolment__participant=person)
    }
    answered = set(SurveyResponse.objects.filter(enrolment__in=enrolments).values_list("enrolment_id", flat=True))
    rows = []
    for enrolment in enrolments:
        scores = {submission.test.kind: submission.score for submission in enrolment.submissions.all()}
        attended = len(enrolment.attendances.all())
        rows.append(
            RecordRow(
                enrolment,
                attended,
                scores.get(QuizKind.PRE),
                scores.get(QuizKind.POST),
                getattr(enrolment, "certificate", None),
                open_tests.get(enrolment.session_id),
                attended > 0 and enrolment.pk not in answered,
            )
        )
    return rows
