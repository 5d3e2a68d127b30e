"""Training pages: thin views over ``services`` and ``selectors``. A record the user may not reach
answers 404, like one that does not exist."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ruta.accounts.models import Membership, User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_read, audit_record
from ruta.competencies.models import Framework
from ruta.competencies.selectors import levels_over_time
from ruta.core.http import acting_user
from ruta.core.timeline import choice_label
from ruta.policy import access
from ruta.policy.decorators import login_required, permission_required
from ruta.security.exports import to_csv
from ruta.training import documents, impact, selectors, services
from ruta.training.forms import (
    CourseForm,
    EnrolForm,
    MaterialForm,
    QuestionForm,
    ReasonForm,
    SessionForm,
    SurveyForm,
)
from ruta.training.models import (
    Certificate,
    Course,
    Enrolment,
    EnrolmentStatus,
    Material,
    Question,
    QuizKind,
    SessionTest,
    Submission,
    TrainingSession,
)
from ruta.training.permissions import TrainingPermission
from ruta.training.selectors import SESSION_PERMISSIONS
from ruta.training.services import TrainingError

P = TrainingPermission


def _refused(request: HttpRequest, error: TrainingError) -> None:
    messages.error(request, str(error.message))


def _session(request: HttpRequest, pk: int, permission: Any = None) -> TrainingSession:
    return selectors.session_for(acting_user(request), pk, permission)


# Courses and the question bank ---------------------------------------------------------------


@permission_required(P.COURSE_MANAGE)
def course_list(request: HttpRequest) -> HttpResponse:
    courses = Course.objects.select_related("framework", "institution").prefetch_related("modules")
    return render(
        request, "training/courses.html", {"courses": courses, "frameworks": Framework.objects.order_by("code")}
    )


@permission_required(P.COURSE_MANAGE)
def course_new(request: HttpRequest) -> HttpResponse:
    framework = get_object_or_404(Framework, code=request.GET.get("framework") or request.POST.get("framework", ""))
    form = CourseForm(request.POST or None, framework=framework)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            actor = acting_user(request)
            membership = (
                actor.memberships.filter(
                    is_active=True, institution_id__in=access.institutions_with(actor, P.COURSE_MANAGE)
                )
                .select_related("institution")
                .first()
            )
            if membership is None:
                raise Http404
            try:
                course = services.course_from_framework(
                    actor=actor,
                    institution=membership.institution,
                    framework=framework,
                    competencies=list(data["competencies"]),
                    title=data["title"],
                    description=data["description"],
                    role=next(iter(framework.target_roles), ""),
                    hours_per_module=data["hours_per_module"],
                    min_attendance=Decimal(data["min_attendance"]) / 100,
                    min_post_score=Decimal(data["min_post_score"]),
                )
            except TrainingError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(
                    request, _("Course created with %(count)s modules.") % {"count": course.modules.count()}
                )
                return redirect("training:course", pk=course.pk)
        status = 400
    return render(request, "training/course_new.html", {"form": form, "framework": framework}, status=status)


@permission_required(P.COURSE_MANAGE)
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(Course.objects.select_related("framework", "institution"), pk=pk)
    modules = course.modules.select_related("competency__domain")
    return render(request, "training/course.html", {"course": course, "modules": modules})


@permission_required(P.QUESTION_MANAGE)
def question_list(request: HttpRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            choices, right = form.parsed()
            try:
                services.question_create(
                    actor=acting_user(request),
                    competency=form.cleaned_data["competency"],
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                    choices=choices,
                    correct=right,
                )
            except TrainingError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Question added to the bank."))
                return redirect("training:questions")
        status = 400
    questions = Question.objects.select_related("competency__framework").order_by(
        "competency__framework", "competency__order", "pk"
    )
    return render(request, "training/questions.html", {"form": form, "questions": questions}, status=status)


# Sessions ------------------------------------------------------------------------------------


@permission_required(*SESSION_PERMISSIONS)
def session_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "training/sessions.html",
        {
            "sessions": selectors.sessions_for(user),
            "can_manage": access.has_perm(user, P.SESSION_MANAGE),
            "can_build": access.has_perm(user, P.COURSE_MANAGE),
            "can_questions": access.has_perm(user, P.QUESTION_MANAGE),
        },
    )


def _trainers() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.filter(role="trainer", is_active=True).values("user_id")
    ).order_by("last_name", "first_name")


@permission_required(P.SESSION_MANAGE)
def session_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = SessionForm(request.POST or None, trainers=_trainers(), initial={"course": request.GET.get("course")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            membership = Membership.objects.filter(
                user=user, is_active=True, institution_id__in=access.institutions_with(user, P.SESSION_MANAGE)
            ).first()
            if membership is None:
                raise Http404
            try:
                session = services.session_create(
                    actor=user,
                    course=data["course"],
                    institution=membership.institution,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    capacity=data["capacity"],
                    trainers=data["trainers"],
                    place=data["place"],
                    online_link=data["online_link"],
                    department=data["department"],
                )
            except TrainingError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Session planned."))
                return redirect("training:session", pk=session.pk)
        status = 400
    return render(request, "training/session_new.html", {"form": form}, status=status)


def _candidates(user: User) -> QuerySet[User]:
    """The people a coordinator may enrol: active users of the coordinator's institutions."""
    institutions = access.institutions_with(user, P.SESSION_MANAGE)
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(is_active=True, institution_id__in=institutions).values("user_id"),
    ).order_by("last_name", "first_name")


@permission_required(*SESSION_PERMISSIONS)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    session = _session(request, pk)
    manages = selectors.can_manage(user, session)
    enrolments = session.enrolments.exclude(status=EnrolmentStatus.CANCELLED).select_related(
        "participant", "institution"
    )
    audit_read(actor=user, obj=session, request=request, reason="participant list")
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "manages": manages,
            "enrolled": [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED],
            "waiting": sorted(
                (e for e in enrolments if e.status == EnrolmentStatus.WAITING), key=lambda e: (e.queued_at, e.pk)
            ),
            "days": session.days.all(),
            "tests": _pre_first(session.tests.prefetch_related("questions")),
            "materials": session.materials.all(),
            "enrol_form": EnrolForm(candidates=_candidates(user)) if manages else None,
            "material_form": MaterialForm(),
            "is_over": session.ends_on <= timezone.localdate(),
        },
    )


@require_POST
@permission_required(P.SESSION_MANAGE)
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    session = _session(request, pk, P.SESSION_MANAGE)
    form = EnrolForm(request.POST, candidates=_candidates(user))
    if not form.is_valid():
        messages.error(request, _("Choose a person of your institution."))
        return redirect("training:session", pk=session.pk)
    participant = form.cleaned_data["participant"]
    membership = (
        Membership.objects.filter(
            user=participant, is_active=True, institution_id__in=access.institutions_with(user, P.SESSION_MANAGE)
        )
        .select_related("institution")
        .first()
    )
    assert membership is not None  # the candidates are exactly the people with such a membership
    try:
        enrolment = services.enrol(
            actor=user, session=session, participant=participant, institution=membership.institution
        )
    except TrainingError as error:
        _refused(request, error)
    else:
        if enrolment.status == EnrolmentStatus.WAITING:
            messages.warning(request, _("The session is full: the person is on the waiting list."))
        else:
            messages.success(request, _("Enrolled."))
    return redirect("training:session", pk=session.pk)


@require_POST
@permission_required(P.SESSION_MANAGE)
def enrolment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    enrolment = access.get_visible_or_404(user, P.SESSION_MANAGE, Enrolment.objects.all(), pk=pk)
    try:
        promoted = services.enrolment_cancel(actor=user, enrolment=enrolment)
    except TrainingError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Enrolment cancelled."))
        if promoted is not None:
            messages.info(
                request,
                _("%(name)s moves up from the waiting list.") % {"name": promoted.participant.get_full_name()},
            )
    return redirect("training:session", pk=enrolment.session_id)


# Attendance ----------------------------------------------------------------------------------


def _chosen_day(request: HttpRequest, session: TrainingSession) -> date:
    raw = request.POST.get("day") or request.GET.get("day") or ""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        today = timezone.localdate()
        return today if session.starts_on <= today <= session.ends_on else session.starts_on


@permission_required(*SESSION_PERMISSIONS)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The trainer's phone: tick who is here, or enter/scan a participant's code."""
    user = acting_user(request)
    session = _session(request, pk)
    day = _chosen_day(request, session)
    if request.method == "POST":
        try:
            if request.POST.get("token"):
                signed = services.attendance_by_token(actor=user, session=session, token=request.POST["token"], on=day)
            else:
                enrolment = session.enrolments.filter(pk=request.POST.get("enrolment") or 0).first()
                if enrolment is None:
                    raise TrainingError("not_enrolled", _("This person is not enrolled in the session."))
                signed = services.attendance_record(actor=user, enrolment=enrolment, on=day, method="list")
        except TrainingError as error:
            _refused(request, error)
        else:
            name = signed.attendance.enrolment.participant.get_full_name()
            if signed.created:
                messages.success(request, _("%(name)s signed in.") % {"name": name})
            else:
                messages.info(request, _("%(name)s had already signed in that day.") % {"name": name})
        return redirect(f"{reverse('training:attendance', kwargs={'pk': session.pk})}?day={day.isoformat()}")
    enrolled = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related("participant")
    present = set(session.days.filter(date=day).values_list("attendances__enrolment_id", flat=True))
    return render(
        request,
        "training/attendance.html",
        {"session": session, "day": day, "days": session.days.all(), "enrolled": enrolled, "present": present},
    )


@permission_required(*SESSION_PERMISSIONS)
def scan(request: HttpRequest, token: str) -> HttpResponse:
    """A participant's QR code opened on the trainer's phone: confirm to sign them in for today."""
    user = acting_user(request)
    enrolment = (
        Enrolment.objects.filter(attendance_token=token)
        .filter(session__in=selectors.sessions_for(user))
        .select_related("participant", "session__course")
        .first()
    )
    if enrolment is None:
        raise Http404
    return render(request, "training/scan.html", {"enrolment": enrolment, "today": timezone.localdate()})


@require_POST
@permission_required(*SESSION_PERMISSIONS)
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(
                actor=acting_user(request),
                session=session,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except TrainingError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Material added."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect("training:session", pk=session.pk)


@login_required
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    """For the session's trainers and coordinators, and its enrolled participants."""
    user = acting_user(request)
    material = get_object_or_404(Material, pk=pk)
    participant = material.session.enrolments.filter(participant=user, status=EnrolmentStatus.ENROLLED).exists()
    if not participant and not selectors.sessions_for(user).filter(pk=material.session_id).exists():
        raise Http404
    with material.file.open("rb") as handle:  # at most MATERIAL_MAX_BYTES
        response = HttpResponse(handle.read(), content_type=material.content_type)
    response["Content-Disposition"] = f'attachment; filename="material-{material.pk}{_suffix(material)}"'
    return response


def _suffix(material: Material) -> str:
    name = material.file.name
    return name[name.rfind(".") :] if "." in name else ""


# Tests -------------------------------------------------------------------------------------


def _pre_first(tests: Iterable[SessionTest]) -> list[SessionTest]:
    return sorted(tests, key=lambda test: test.kind != QuizKind.PRE)


@require_POST
@permission_required(*SESSION_PERMISSIONS)
def tests_draw(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        count = services.tests_draw(actor=acting_user(request), session=session)
    except TrainingError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(count)s questions drawn for the pre- and post-test.") % {"count": count})
    return redirect("training:session", pk=session.pk)


@require_POST
@permission_required(*SESSION_PERMISSIONS)
def test_advance(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    test = get_object_or_404(SessionTest.objects.filter(session__in=selectors.sessions_for(user)), pk=pk)
    try:
        test = services.test_advance(actor=user, test=test)
    except TrainingError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("%(test)s: %(status)s.") % {"test": test.get_kind_display(), "status": test.get_status_display()}
        )
    return redirect("training:session", pk=test.session_id)


@permission_required(*SESSION_PERMISSIONS)
def marking(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    session = _session(request, pk)
    if request.method == "POST":
        answer = get_object_or_404(selectors.pending_short_answers(session), pk=request.POST.get("answer") or 0)
        try:
            services.answer_mark(actor=user, answer=answer, correct=request.POST.get("correct") == "1")
        except TrainingError as error:
            _refused(request, error)
        return redirect("training:marking", pk=session.pk)
    audit_read(actor=user, obj=session, request=request, reason="marking")
    return render(
        request, "training/marking.html", {"session": session, "answers": selectors.pending_short_answers(session)}
    )


@permission_required(*SESSION_PERMISSIONS)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    session = _session(request, pk)
    audit_read(actor=user, obj=session, request=request, reason="results")
    return render(
        request,
        "training/results.html",
        {
            "session": session,
            "results": selectors.session_results(session),
            "day_count": session.days.count(),  # once, not once per participant row
            "items": [(test, selectors.item_statistics(test)) for test in _pre_first(session.tests.all())],
            "survey": selectors.survey_summary(session),
            "manages": selectors.can_manage(user, session),
            "is_over": session.ends_on <= timezone.localdate(),
        },
    )


# Certificates ------------------------------------------------------------------------------


@require_POST
@permission_required(*SESSION_PERMISSIONS)
def certificates_issue(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    try:
        run = services.certificates_issue_all(actor=acting_user(request), session=session)
    except TrainingError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(count)s certificates issued.") % {"count": run.issued})
        for enrolment, check in run.refused:
            messages.warning(
                request,
                _("No certificate for %(name)s: %(reasons)s.")
                % {"name": enrolment.participant.get_full_name(), "reasons": "; ".join(check.reasons)},
            )
    return redirect("training:results", pk=session.pk)


@require_POST
@permission_required(*SESSION_PERMISSIONS)
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """One participant's certificate (refused, with the reasons, when the rules are not met)."""
    user = acting_user(request)
    enrolment = get_object_or_404(Enrolment.objects.filter(session__in=selectors.sessions_for(user)), pk=pk)
    try:
        services.certificate_issue(actor=user, enrolment=enrolment)
    except TrainingError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Certificate issued."))
    return redirect("training:results", pk=enrolment.session_id)


def _certificate_for(user: User, pk: int) -> Certificate:
    """The participant's own certificate, or one of a session the user reaches."""
    reach = Q(enrolment__participant=user) | Q(enrolment__session__in=selectors.sessions_for(user))
    return get_object_or_404(Certificate.objects.filter(reach).select_related("enrolment__session__institution"), pk=pk)


def _verify_url(request: HttpRequest, certificate: Certificate) -> str:
    return request.build_absolute_uri(reverse("verify:certificate", kwargs={"code": certificate.code}))


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    certificate = _certificate_for(user, pk)
    if certificate.enrolment.participant_id != user.pk:
        audit_read(actor=user, obj=certificate, request=request, reason="certificate PDF")
    body = documents.certificate_pdf(certificate, verify_url=_verify_url(request, certificate))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.pk}.pdf"'
    return response


@require_POST
@permission_required(P.SESSION_MANAGE)
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    certificate = access.get_visible_or_404(
        user, P.SESSION_MANAGE, Certificate.objects.select_related("enrolment"), pk=pk
    )
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise TrainingError("reason", _("Say why the certificate is revoked."), "reason")
        services.certificate_revoke(actor=user, certificate=certificate, reason=form.cleaned_data["reason"])
    except TrainingError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Certificate revoked."))
    return redirect("training:results", pk=certificate.enrolment.session_id)


# Impact and individual records ---------------------------------------------------------------


@permission_required(P.IMPACT_VIEW)
def impact_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    try:
        days = max(30, min(int(request.GET.get("days", impact.DEFAULT_DAYS)), 730))
    except ValueError:
        days = impact.DEFAULT_DAYS
    sessions = access.visible(user, P.IMPACT_VIEW, TrainingSession.objects.select_related("course")).order_by(
        "starts_on"
    )
    cohorts = impact.cohorts(sessions, days=days)
    chart = {
        "labels": [str(cohort.session) for cohort in cohorts],
        "series": {
            key: [[_percent(getattr(c.total.before, key)), _percent(getattr(c.total.after, key))] for c in cohorts]
            for key in ("complete", "private", "with_indicators")
        },
        "names": {
            "before": _("Before training"),
            "after": _("After training"),
            "complete": _("Visits with every procedure step done (%)"),
            "private": _("Interviews held in private (%)"),
            "with_indicators": _("Interviews with indicators recorded (%)"),
        },
    }
    if cohorts:
        audit_record(
            actor=user, action=AuditAction.READ, object_type="training.impact", summary=f"{len(cohorts)} cohorts"
        )
    return render(request, "training/impact.html", {"cohorts": cohorts, "days": days, "chart": chart})


def _percent(share: impact.Share) -> float | None:
    value = share.percent
    return float(value) if value is not None else None


def _record(person: User, *, own: bool) -> dict[str, Any]:
    return {"person": person, "rows": selectors.record_rows(person), "levels": levels_over_time(person), "own": own}


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(request, "training/record.html", _record(user, own=True))


@permission_required(P.SESSION_MANAGE)
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant's record for their coordinator: need-to-know, so only someone enrolled in a
    session the coordinator reaches, and every opening is audited."""
    user = acting_user(request)
    enrolments = access.visible(user, P.SESSION_MANAGE, Enrolment.objects.filter(participant_id=pk))
    if not enrolments.exists():
        raise Http404
    person = get_object_or_404(User, pk=pk)
    audit_read(actor=user, obj=person, request=request, reason="training record")
    return render(request, "training/record.html", _record(person, own=False))


@login_required
def my_export(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows: list[list[Any]] = [
        [
            row.enrolment.session.course.title,
            row.enrolment.session.starts_on.isoformat(),
            row.enrolment.session.ends_on.isoformat(),
            row.enrolment.get_status_display(),
            row.attended_days,
            row.pre if row.pre is not None else "",
            row.post if row.post is not None else "",
            row.certificate.code if row.certificate else "",
            row.certificate.get_status_display() if row.certificate else "",
        ]
        for row in selectors.record_rows(user)
    ]
    for point in levels_over_time(user):
        rows.append(
            [
                point.framework.label,
                point.assessed_on.isoformat(),
                "",
                choice_label(point.kind, "ruta.competencies.models.AssessmentKind"),
                "",
                "",
                "",
                point.competency.label,
                point.level,
            ]
        )
    header = [
        _("Course or framework"),
        _("Start or assessed on"),
        _("End"),
        _("Status or assessment"),
        _("Days attended"),
        _("Pre-test (%)"),
        _("Post-test (%)"),
        _("Certificate code or competency"),
        _("Certificate status or level"),
    ]
    audit_record(actor=user, action=AuditAction.EXPORT, obj=user, summary="own training record")
    response = HttpResponse(to_csv([str(h) for h in header], rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-record.csv"'
    return response


def _own_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("session__course"), pk=pk, participant=acting_user(request)
    )


@login_required
def my_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's attendance QR: the scan URL, opened on the trainer's logged-in phone."""
    enrolment = _own_enrolment(request, pk)
    url = request.build_absolute_uri(reverse("training:scan", kwargs={"token": enrolment.attendance_token}))
    svg = documents.qr_svg(url, title=_("Attendance code"))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def take_test(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    test = get_object_or_404(SessionTest.objects.select_related("session__course"), pk=pk)
    enrolment = get_object_or_404(Enrolment, session_id=test.session_id, participant=user)
    submitted = Submission.objects.filter(test=test, enrolment=enrolment).first()
    status = 200
    if request.method == "POST":
        responses = {question.pk: request.POST.getlist(f"q{question.pk}") for question in test.questions.all()}
        try:
            submission = services.test_submit(
                actor=user, test=test, enrolment=enrolment, responses=responses, key=request.POST.get("key", "")[:64]
            )
        except TrainingError as error:
            _refused(request, error)
            status = 400
        else:
            if submission.score is None:
                messages.success(
                    request, _("Answers sent. Your score will appear once the trainer marks the short answers.")
                )
            else:
                messages.success(request, _("Answers sent. Your score: %(score)s %%.") % {"score": submission.score})
            return redirect("training:mine")
    return render(
        request,
        "training/take_test.html",
        {
            "test": test,
            "questions": test.questions.order_by("competency__order", "pk"),
            "submitted": submitted,
            "key": uuid.uuid4().hex,
        },
        status=status,
    )


@login_required
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.survey_submit(
                    actor=acting_user(request),
                    enrolment=enrolment,
                    ratings=form.ratings(),
                    comment=form.cleaned_data["comment"],
                )
            except TrainingError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Thank you for your answers."))
                return redirect("training:mine")
        status = 400
    return render(request, "training/survey.html", {"form": form, "enrolment": enrolment}, status=status)
