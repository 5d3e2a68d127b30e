"""Training: courses built on a competency framework, sessions with enrolment and attendance,
pre- and post-tests drawn from a question bank, a satisfaction survey, and certificates that anyone
can verify on a public page.

Participants are users (the staff of the institutions on the route), so a participant's identity is
their account; the pages that show it to someone else are need-to-know and audited."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruta.core.models import TimeStampedModel
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.security.uploads import random_upload_path


def new_token() -> str:
    """An unguessable code (attendance, verification): 128 bits, URL-safe."""
    return secrets.token_urlsafe(16)


class Course(TimeStampedModel):
    """A curriculum: modules mapped to competencies and target levels, plus its certificate rules."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    framework = models.ForeignKey(
        "competencies.Framework",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("competency framework"),
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="courses", verbose_name=_("institution")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Certificate rules are data: a course sets its own thresholds.
    min_attendance = models.DecimalField(
        _("minimum attendance (share of session days)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    min_post_score = models.DecimalField(
        _("minimum post-test score (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    is_synthetic = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def min_attendance_percent(self) -> int:
        return round(self.min_attendance * 100)

    @property
    def hours(self) -> Decimal:
        return sum((module.hours for module in self.modules.all()), Decimal("0"))


class CourseModule(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="course_modules", verbose_name=_("competency")
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), default=2)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=Decimal("2"))

    class Meta:
        ordering = ["course", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "competency"], name="training_module_competency_once"),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(TimeStampedModel):
    """One run of a course: dates, place or online link, trainers and seats."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("organised by")
    )
    # Where it is held (none: online or national): a territorial coordinator reaches its department's.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="training_sessions_given", verbose_name=_("trainers")
    )
    is_synthetic = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="training_session_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_on:%Y-%m-%d})"


class SessionDay(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=Decimal("8"))

    class Meta:
        ordering = ["session", "date"]
        constraints = [models.UniqueConstraint(fields=["session", "date"], name="training_day_once")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Enrolment(TimeStampedModel):
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="enrolments")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_enrolments"
    )
    # The participant's institution when enrolled: whose coordinator sees them.
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="training_enrolments")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices)
    # Waiting-list order: the moment the person joined the list (promoted first-come, first-served).
    queued_at = models.DateTimeField(null=True, blank=True)
    attendance_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    is_synthetic = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="training_enrolment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.session}"


class AttendanceMethod(models.TextChoices):
    LIST = "list", _("Sign-in list")
    QR = "qr", _("QR code")


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    day = models.ForeignKey(SessionDay, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(max_length=8, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="training_attendance_once")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.day_id}"


class Material(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=random_upload_path)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT = "short", _("Short answer (marked by the trainer)")


class Question(TimeStampedModel):
    """A bank item for one competency. ``choices`` is ``[{"key", "text"}]``; ``correct`` the keys of
    the right choices (for true/false, ``["true"]`` or ``["false"]``; empty for short answers)."""

    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="questions", verbose_name=_("competency")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    choices = models.JSONField(default=list, blank=True)
    correct = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["competency", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:60]


class QuizKind(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class QuizStatus(models.TextChoices):
    DRAFT = "draft", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SessionTest(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="tests")
    kind = models.CharField(_("kind"), max_length=4, choices=QuizKind.choices)
    status = models.CharField(_("status"), max_length=6, choices=QuizStatus.choices, default=QuizStatus.DRAFT)
    questions = models.ManyToManyField(Question, related_name="tests")

    class Meta:
        ordering = ["session", "kind"]
        constraints = [models.UniqueConstraint(fields=["session", "kind"], name="training_test_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.session}"


class Submission(models.Model):
    test = models.ForeignKey(SessionTest, on_delete=models.PROTECT, related_name="submissions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="submissions")
    idempotency_key = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(auto_now_add=True)
    points = models.PositiveSmallIntegerField(default=0)
    max_points = models.PositiveSmallIntegerField(default=0)
    # Null while a short answer waits for the trainer's mark.
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["test", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["test", "enrolment"], name="training_submission_once"),
            models.UniqueConstraint(fields=["idempotency_key"], name="training_submission_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.test} — {self.enrolment_id}"


class Answer(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    response = models.JSONField(default=list, blank=True)  # chosen keys, or [text] for a short answer
    is_correct = models.BooleanField(null=True)  # null: a short answer not marked yet
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["submission", "question_id"]
        constraints = [models.UniqueConstraint(fields=["submission", "question"], name="training_answer_once")]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.question_id}"


class SurveyResponse(models.Model):
    """The end-of-session satisfaction survey: Likert answers (1–5) per item of ``survey.ITEMS``."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="survey")
    ratings = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"survey {self.enrolment_id}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    """What the public page shows is frozen here at issue time: name, course, date."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    participant_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=200)
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    issued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=CertificateStatus.choices, default=CertificateStatus.VALID)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.course_title} — {self.participant_name}"
