"""Every change to training records: one transaction each, with its audit row, or a refusal
(``TrainingError``) that leaves nothing half-saved."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.competencies.models import Competency, Framework, TargetLevel
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.security.uploads import ALLOWED_TYPES, validate_upload
from ruta.training import scoring
from ruta.training.models import (
    Answer,
    Attendance,
    Certificate,
    CertificateStatus,
    Course,
    CourseModule,
    Enrolment,
    EnrolmentStatus,
    Material,
    Question,
    QuestionKind,
    QuizKind,
    QuizStatus,
    SessionDay,
    SessionTest,
    Submission,
    SurveyResponse,
    TrainingSession,
)
from ruta.training.survey import ITEMS, SCALE

MATERIAL_TYPES = ("pdf", "png", "jpg", "jpeg", "txt", "csv")
MATERIAL_MAX_BYTES = 10 * 1024 * 1024
QUESTIONS_PER_COMPETENCY = 2
DEFAULT_TARGET_LEVEL = 3


class TrainingError(Exception):
    """A refused change, with a stable code, a translated message and the field it concerns."""

    def __init__(self, code: str, message: Any, field: str = "non_field_errors") -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


# Courses -------------------------------------------------------------------------------------


@transaction.atomic
def course_from_framework(
    *,
    actor: User,
    institution: Institution,
    framework: Framework,
    competencies: Sequence[Competency],
    title: str,
    role: str = "",
    hours_per_module: Decimal = Decimal("2"),
    min_attendance: Decimal = Decimal("0.80"),
    min_post_score: Decimal = Decimal("70"),
    description: str = "",
) -> Course:
    """A course with one module per chosen competency, aimed at the role's target level."""
    if not competencies:
        raise TrainingError("no_competencies", _("Choose at least one competency."), "competencies")
    if any(competency.framework_id != framework.pk for competency in competencies):
        raise TrainingError("wrong_framework", _("Every competency must belong to the framework."), "competencies")
    course = Course.objects.create(
        title=title,
        description=description,
        framework=framework,
        institution=institution,
        created_by=actor,
        min_attendance=min_attendance,
        min_post_score=min_post_score,
    )
    targets = dict(
        TargetLevel.objects.filter(competency__in=competencies, role=role).values_list("competency_id", "level")
    )
    CourseModule.objects.bulk_create(
        CourseModule(
            course=course,
            order=order,
            title=competency.label,
            competency=competency,
            target_level=targets.get(competency.pk) or DEFAULT_TARGET_LEVEL,
            hours=hours_per_module,
        )
        for order, competency in enumerate(sorted(competencies, key=lambda c: (c.order, c.code)), start=1)
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=course, summary=f"{len(competencies)} modules")
    return course


# Sessions ------------------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    actor: User,
    course: Course,
    institution: Institution,
    starts_on: date,
    ends_on: date,
    capacity: int,
    trainers: Iterable[User],
    place: str = "",
    online_link: str = "",
    department: Department | None = None,
) -> TrainingSession:
    if ends_on < starts_on:
        raise TrainingError("dates", _("The session cannot end before it starts."), "ends_on")
    if not place and not online_link:
        raise TrainingError("no_place", _("Give a place or an online link."), "place")
    trainers = list(trainers)
    if not trainers:
        raise TrainingError("no_trainer", _("Name at least one trainer."), "trainers")
    session = TrainingSession.objects.create(
        course=course,
        institution=institution,
        department=department,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        place=place,
        online_link=online_link,
    )
    session.trainers.set(trainers)
    days = (ends_on - starts_on).days + 1
    hours = (course.hours / days).quantize(Decimal("0.1")) if course.hours else Decimal("8")
    SessionDay.objects.bulk_create(
        SessionDay(session=session, date=starts_on + timedelta(days=offset), hours=hours) for offset in range(days)
    )
    SessionTest.objects.bulk_create(SessionTest(session=session, kind=kind) for kind in QuizKind.values)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=session, summary=str(course))
    return session


def seats_taken(session: TrainingSession) -> int:
    return session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


@transaction.atomic
def enrol(*, actor: User, session: TrainingSession, participant: User, institution: Institution) -> Enrolment:
    """Enrol ``participant``; once the seats are taken they join the waiting list. A past session
    can be filled in afterwards (paper sign-in sheets typed in later)."""
    # Lock the session so two coordinators filling the last seat cannot both get it.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    existing = Enrolment.objects.filter(session=session, participant=participant).first()
    if existing is not None and existing.status != EnrolmentStatus.CANCELLED:
        raise TrainingError(
            "already_enrolled",
            _("%(name)s is already enrolled in this session or on its waiting list.")
            % {"name": participant.get_full_name() or participant.username},
            "participant",
        )
    full = seats_taken(session) >= session.capacity
    status = EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED
    queued_at = timezone.now() if full else None
    if existing is not None:
        existing.status, existing.queued_at, existing.institution, existing.enrolled_by = (
            status,
            queued_at,
            institution,
            actor,
        )
        existing.save(update_fields=["status", "queued_at", "institution", "enrolled_by", "updated_at"])
        enrolment = existing
    else:
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    session=session,
                    participant=participant,
                    institution=institution,
                    enrolled_by=actor,
                    status=status,
                    queued_at=queued_at,
                )
        except IntegrityError:
            raise TrainingError(
                "already_enrolled", _("This person is already enrolled in this session."), "participant"
            ) from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=enrolment, summary=status)
    return enrolment


@transaction.atomic
def enrolment_cancel(*, actor: User, enrolment: Enrolment) -> Enrolment | None:
    """Cancel an enrolment; a freed seat goes to the first on the waiting list, who is returned."""
    session = TrainingSession.objects.select_for_update().get(pk=enrolment.session_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise TrainingError("already_cancelled", _("This enrolment is already cancelled."))
    if enrolment.attendances.exists():
        raise TrainingError("attended", _("This person has already attended; the enrolment cannot be cancelled."))
    freed = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=enrolment, summary="cancelled")
    if not freed or seats_taken(session) >= session.capacity:
        return None
    promoted = (
        Enrolment.objects.select_for_update()
        .filter(session=session, status=EnrolmentStatus.WAITING)
        .order_by("queued_at", "id")
        .first()
    )
    if promoted is not None:
        promoted.status = EnrolmentStatus.ENROLLED
        promoted.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=AuditAction.TRANSITION, obj=promoted, summary="promoted from waiting list")
    return promoted


# Attendance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    attendance: Attendance
    created: bool  # False: already signed in that day (scanning twice is harmless)


def _day(session: TrainingSession, on: date) -> SessionDay:
    day = session.days.filter(date=on).first()
    if day is None:
        raise TrainingError("not_a_session_day", _("The session has no day on %(date)s.") % {"date": on.isoformat()})
    return day


@transaction.atomic
def attendance_record(*, actor: User, enrolment: Enrolment, on: date, method: str) -> Signed:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise TrainingError(
            "not_enrolled", _("This person is not enrolled in the session (waiting list or cancelled).")
        )
    day = _day(enrolment.session, on)
    attendance, created = Attendance.objects.get_or_create(
        enrolment=enrolment, day=day, defaults={"method": method, "recorded_by": actor}
    )
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=attendance, summary=f"{method} {on.isoformat()}")
    return Signed(attendance, created)


def attendance_by_token(*, actor: User, session: TrainingSession, token: str, on: date) -> Signed:
    """The trainer's phone read a participant's QR code (or had its code typed)."""
    token = token.strip().rstrip("/").rsplit("/", 1)[-1]  # a pasted URL works as well as the bare code
    enrolment = Enrolment.objects.filter(session=session, attendance_token=token).select_related("session").first()
    if enrolment is None:
        raise TrainingError("unknown_code", _("This code is not the code of anyone enrolled in this session."), "token")
    return attendance_record(actor=actor, enrolment=enrolment, on=on, method="qr")


@transaction.atomic
def material_add(*, actor: User, session: TrainingSession, title: str, upload: Any) -> Material:
    from django.core.exceptions import ValidationError

    try:
        extension = validate_upload(upload, allowed=MATERIAL_TYPES, max_bytes=MATERIAL_MAX_BYTES)
    except ValidationError as error:
        raise TrainingError(error.code or "file", error.messages[0], "file") from None
    material = Material.objects.create(
        session=session,
        title=title or upload.name,
        file=upload,
        content_type=ALLOWED_TYPES[extension][0],
        size=upload.size,
        uploaded_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=material, summary=material.title)
    return material


# Question bank and tests ---------------------------------------------------------------------


def _check_question(kind: str, choices: Sequence[Mapping[str, str]], correct: Sequence[str]) -> None:
    keys = [choice["key"] for choice in choices]
    if kind == QuestionKind.SHORT:
        if choices or correct:
            raise TrainingError("short_has_choices", _("A short-answer question has no choices."), "choices")
        return
    if kind == QuestionKind.TRUE_FALSE:
        if keys != ["true", "false"] or len(correct) != 1:
            raise TrainingError("true_false", _("A true/false question is either true or false."), "correct")
        return
    if len(keys) < 2 or len(set(keys)) != len(keys):
        raise TrainingError("choices", _("Give at least two different choices."), "choices")
    if not correct or not set(correct) <= set(keys):
        raise TrainingError("correct", _("Mark which choices are right."), "correct")
    if kind == QuestionKind.SINGLE and len(correct) != 1:
        raise TrainingError("single", _("A single-choice question has exactly one right choice."), "correct")


def true_false_choices() -> list[dict[str, str]]:
    return [{"key": "true", "text": str(_("True"))}, {"key": "false", "text": str(_("False"))}]


@transaction.atomic
def question_create(
    *,
    actor: User,
    competency: Competency,
    kind: str,
    text: str,
    choices: Sequence[Mapping[str, str]] = (),
    correct: Sequence[str] = (),
) -> Question:
    if kind == QuestionKind.TRUE_FALSE and not choices:
        choices = true_false_choices()
    _check_question(kind, choices, correct)
    question = Question.objects.create(
        competency=competency,
        kind=kind,
        text=text,
        choices=[dict(choice) for choice in choices],
        correct=list(correct),
        created_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=question, summary=question.kind)
    return question


@transaction.atomic
def tests_draw(*, actor: User, session: TrainingSession, per_competency: int = QUESTIONS_PER_COMPETENCY) -> int:
    """Draw the session's pre- and post-test from the bank: up to ``per_competency`` items for each
    module's competency. Both tests get the same items, so the gain compares like with like."""
    tests = list(session.tests.select_for_update())
    if any(test.status != QuizStatus.DRAFT for test in tests):
        raise TrainingError("test_opened", _("A test has already been opened; its questions can no longer change."))
    chosen: list[Question] = []
    draw = random.Random()  # noqa: S311 - picking quiz items, not a secret
    for module in session.course.modules.all():
        bank = list(Question.objects.filter(competency_id=module.competency_id, is_active=True).order_by("pk"))
        chosen.extend(draw.sample(bank, min(per_competency, len(bank))))
    if not chosen:
        raise TrainingError("empty_bank", _("The question bank has no questions for this course's competencies."))
    for test in tests:
        test.questions.set(chosen)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=session, summary=f"tests drawn: {len(chosen)} items")
    return len(chosen)


_NEXT_STATUS = {QuizStatus.DRAFT: QuizStatus.OPEN, QuizStatus.OPEN: QuizStatus.CLOSED}


@transaction.atomic
def test_advance(*, actor: User, test: SessionTest) -> SessionTest:
    """Open a test that is not open yet, or close an open one."""
    test = SessionTest.objects.select_for_update().get(pk=test.pk)
    following = _NEXT_STATUS.get(QuizStatus(test.status))
    if following is None:
        raise TrainingError("test_closed", _("This test is closed."))
    if following == QuizStatus.OPEN and not test.questions.exists():
        raise TrainingError("no_questions", _("Draw the questions from the bank before opening the test."))
    test.status = following
    test.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=test, summary=following)
    return test


def _rescore(submission: Submission) -> None:
    answers = list(submission.answers.all())
    submission.points = sum(1 for answer in answers if answer.is_correct)
    submission.max_points = len(answers)
    pending = any(answer.is_correct is None for answer in answers)
    submission.score = None if pending else scoring.percentage(submission.points, submission.max_points)
    submission.save(update_fields=["points", "max_points", "score"])


@transaction.atomic
def test_submit(
    *, actor: User, test: SessionTest, enrolment: Enrolment, responses: Mapping[int, Sequence[str]], key: str
) -> Submission:
    """Record and score a participant's answers. The same ``key`` again (a double tap, a retry)
    returns the first submission; another submission of the same test is refused."""
    previous = Submission.objects.filter(idempotency_key=key).first()
    if previous is not None:
        if previous.test_id != test.pk or previous.enrolment_id != enrolment.pk:
            raise TrainingError("key_reused", _("This submission key was already used for another test."))
        return previous
    test = SessionTest.objects.select_for_update().get(pk=test.pk)
    if test.status != QuizStatus.OPEN:
        raise TrainingError("test_not_open", _("This test is not open: it has not started or is already closed."))
    if enrolment.session_id != test.session_id or enrolment.status != EnrolmentStatus.ENROLLED:
        raise TrainingError("not_enrolled", _("Only people enrolled in the session can take its tests."))
    if Submission.objects.filter(test=test, enrolment=enrolment).exists():
        raise TrainingError("already_submitted", _("This test was already submitted; it can be taken only once."))
    questions = list(test.questions.all())
    try:
        with transaction.atomic():
            submission = Submission.objects.create(test=test, enrolment=enrolment, idempotency_key=key)
    except IntegrityError:
        raise TrainingError("already_submitted", _("This test was already submitted.")) from None
    answers = []
    for question in questions:
        response = [str(value) for value in responses.get(question.pk, ()) if str(value).strip()]
        if question.kind != QuestionKind.SHORT:
            valid = {choice["key"] for choice in question.choices}
            response = [value for value in response if value in valid]
        answers.append(
            Answer(
                submission=submission,
                question=question,
                response=response,
                is_correct=scoring.is_correct(question.kind, question.correct, response),
            )
        )
    Answer.objects.bulk_create(answers)
    _rescore(submission)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=submission, summary=test.kind)
    return submission


@transaction.atomic
def answer_mark(*, actor: User, answer: Answer, correct: bool) -> Answer:
    answer = Answer.objects.select_for_update().select_related("question", "submission").get(pk=answer.pk)
    if answer.question.kind != QuestionKind.SHORT:
        raise TrainingError("not_short", _("Only short answers are marked by hand; the others are scored."))
    answer.is_correct = correct
    answer.marked_by = actor
    answer.save(update_fields=["is_correct", "marked_by"])
    _rescore(answer.submission)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=answer.submission, summary=f"marked {answer.pk}")
    return answer


@transaction.atomic
def survey_submit(*, actor: User, enrolment: Enrolment, ratings: Mapping[str, int], comment: str) -> SurveyResponse:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise TrainingError("not_enrolled", _("Only people enrolled in the session answer its survey."))
    if set(ratings) != set(ITEMS) or any(value not in SCALE for value in ratings.values()):
        raise TrainingError("ratings", _("Answer every statement on the 1 to 5 scale."), "ratings")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(enrolment=enrolment, ratings=dict(ratings), comment=comment)
    except IntegrityError:
        raise TrainingError("survey_done", _("The survey was already answered for this session.")) from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=response, summary="survey")
    return response


# Certificates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    attended_days: int
    session_days: int
    post_score: Decimal | None
    reasons: tuple[str, ...]  # why not (translated); empty when eligible

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def attendance_share(self) -> Decimal:
        if not self.session_days:
            return Decimal(0)
        return Decimal(self.attended_days) / self.session_days


def eligibility(enrolment: Enrolment) -> Eligibility:
    """The course's rules applied to one enrolment."""
    course = enrolment.session.course
    session_days = enrolment.session.days.count()
    attended = enrolment.attendances.count()
    post = (
        Submission.objects.filter(enrolment=enrolment, test__kind=QuizKind.POST).values_list("score", flat=True).first()
    )
    reasons = []
    if enrolment.status != EnrolmentStatus.ENROLLED:
        reasons.append(str(_("not enrolled in the session")))
    share = Decimal(attended) / session_days if session_days else Decimal(0)
    if share < course.min_attendance:
        reasons.append(
            str(_("attended %(attended)s of %(days)s days; the course requires %(required)s %%"))
            % {"attended": attended, "days": session_days, "required": round(course.min_attendance * 100)}
        )
    if course.min_post_score > 0:
        if post is None:
            reasons.append(str(_("no scored post-test (not taken, or a short answer is not marked yet)")))
        elif post < course.min_post_score:
            reasons.append(
                str(_("post-test score %(score)s %% is below the required %(required)s %%"))
                % {"score": post, "required": course.min_post_score}
            )
    return Eligibility(attended, session_days, post, tuple(reasons))


@transaction.atomic
def certificate_issue(*, actor: User, enrolment: Enrolment) -> Certificate:
    enrolment = (
        Enrolment.objects.select_for_update().select_related("session__course", "participant").get(pk=enrolment.pk)
    )
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    if enrolment.session.ends_on > timezone.localdate():
        raise TrainingError("session_not_over", _("Certificates are issued once the session has ended."))
    check = eligibility(enrolment)
    if not check.eligible:
        raise TrainingError(
            "not_eligible",
            _("No certificate for %(name)s: %(reasons)s.")
            % {"name": enrolment.participant.get_full_name(), "reasons": "; ".join(check.reasons)},
        )
    session = enrolment.session
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        participant_name=enrolment.participant.get_full_name() or enrolment.participant.username,
        course_title=session.course.title,
        completed_on=session.ends_on,
        hours=sum((day.hours for day in session.days.all()), Decimal(0)),
        issued_by=actor,
        is_synthetic=enrolment.is_synthetic,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=certificate, summary=certificate.course_title)
    return certificate


@dataclass(frozen=True)
class IssueRun:
    issued: int
    refused: list[tuple[Enrolment, Eligibility]]


def certificates_issue_all(*, actor: User, session: TrainingSession) -> IssueRun:
    """Issue every eligible participant's certificate; list who was refused and why."""
    if session.ends_on > timezone.localdate():
        raise TrainingError("session_not_over", _("Certificates are issued once the session has ended."))
    issued = 0
    refused = []
    enrolments = session.enrolments.filter(status=EnrolmentStatus.ENROLLED, certificate__isnull=True)
    for enrolment in enrolments.select_related("participant", "session__course"):
        check = eligibility(enrolment)
        if check.eligible:
            certificate_issue(actor=actor, enrolment=enrolment)
            issued += 1
        else:
            refused.append((enrolment, check))
    return IssueRun(issued, refused)


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not reason.strip():
        raise TrainingError("reason", _("Say why the certificate is revoked."), "reason")
    if certificate.status == CertificateStatus.REVOKED:
        raise TrainingError("already_revoked", _("This certificate is already revoked."))
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason.strip()
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=certificate, summary="revoked", reason=reason.strip())
    return certificate
