"""Pages of the baseline study: thin views that check the permission, call a service, render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ruta.baseline import report as reports
from ruta.baseline import selectors, services
from ruta.baseline.actormap import actor_map as build_actor_map
from ruta.baseline.charts import comparison_chart_data
from ruta.baseline.figures import (
    capacity_comparison,
    initiatives_by_department,
    initiatives_by_pillar,
    ordered_rounds,
    results_framework,
    round_figures,
    workshop_figures,
)
from ruta.baseline.forms import (
    AssessmentForm,
    AttendanceForm,
    FindingForm,
    InitiativeFilterForm,
    InitiativeForm,
    LinkForm,
    OutputForm,
    ParticipantForm,
    ResultIndicatorForm,
    ResultValueForm,
    RoundForm,
    SessionForm,
    StudyForm,
    WorkshopForm,
)
from ruta.baseline.models import ActorLink, CapacityAssessment, Initiative, ReportStatus, ResultIndicator, Workshop
from ruta.baseline.permissions import BaselinePermission
from ruta.core.http import acting_user
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.instruments.selectors import VERSION_PAYLOAD
from ruta.policy import access
from ruta.policy.decorators import permission_required
from ruta.policy.permissions import Permission

P = BaselinePermission


def _invalid(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form, on its field when the form has one."""
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def _render(request: HttpRequest, template: str, context: dict[str, Any], form: Form | None = None) -> HttpResponse:
    status = 400 if request.method == "POST" and form is not None and form.errors else 200
    return render(request, template, context, status=status)


@permission_required(P.VIEW)
def studies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "baseline/studies.html",
        {
            "studies": selectors.studies_visible(acting_user(request)),
            "can_manage": access.has_perm(request.user, P.MANAGE),
        },
    )


@permission_required(P.MANAGE)
def study_new(request: HttpRequest) -> HttpResponse:
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        study = services.study_create(actor=acting_user(request), **form.cleaned_data)
        messages.success(request, _("Study created. Add its first round."))
        return redirect("baseline:round_new", pk=study.pk)
    return _render(request, "baseline/form.html", {"form": form, "title": _("New study")}, form)


@permission_required(P.VIEW)
def study(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.study_for(acting_user(request), pk)
    rounds = [(round_, round_figures(round_)) for round_ in ordered_rounds(found)]
    return render(
        request,
        "baseline/study.html",
        {"study": found, "rounds": rounds, "can_manage": access.has_perm(request.user, P.MANAGE)},
    )


def _round_input(data: dict[str, Any]) -> services.RoundInput:
    return services.RoundInput(
        kind=data["kind"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        instruments=list(data["instruments"]),
        departments=list(data["departments"]),
        institutions=list(data["institutions"]),
    )


@permission_required(P.MANAGE)
def round_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.study_for(acting_user(request), pk, P.MANAGE)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_save(actor=acting_user(request), study=found, data=_round_input(form.cleaned_data))
        except ValidationError as error:
            _invalid(form, error)
        else:
            return redirect("baseline:round", pk=round_.pk)
    return _render(request, "baseline/form.html", {"form": form, "title": _("New round"), "study": found}, form)


@permission_required(P.MANAGE)
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_for(acting_user(request), pk, P.MANAGE)
    initial = {
        "kind": round_.kind,
        "starts_on": round_.starts_on,
        "ends_on": round_.ends_on,
        "instruments": round_.instruments.all(),
        "departments": round_.departments.all(),
        "institutions": round_.institutions.all(),
    }
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_save(
                actor=acting_user(request), study=round_.study, data=_round_input(form.cleaned_data), round_=round_
            )
        except ValidationError as error:
            _invalid(form, error)
        else:
            return redirect("baseline:round", pk=round_.pk)
    return _render(request, "baseline/form.html", {"form": form, "title": str(round_), "study": round_.study}, form)


@permission_required(P.VIEW)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = selectors.round_for(user, pk)
    assessed = {a.institution_id: a for a in CapacityAssessment.objects.filter(round=round_)}
    institutions = list(round_.institutions.order_by("name")) or list(
        Institution.objects.filter(pk__in=assessed).order_by("name")
    )
    return render(
        request,
        "baseline/round.html",
        {
            "round": round_,
            "figures": round_figures(round_),
            "workshops": [(workshop, workshop_figures(workshop)) for workshop in round_.workshops.all()],
            "instruments": round_.instruments.defer(*VERSION_PAYLOAD),
            "departments": round_.departments.order_by("name"),
            "institutions": [(institution, assessed.get(institution.pk)) for institution in institutions],
            "findings": selectors.findings_with_evidence(round_),
            "reports": round_.reports.defer("xlsx", "pdf")[:5],
            "can_manage": access.has_perm(user, P.MANAGE),
        },
    )


@permission_required(P.MANAGE)
def workshop_new(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_for(acting_user(request), pk, P.MANAGE)
    form = WorkshopForm(request.POST or None, initial={"starts_on": round_.starts_on, "ends_on": round_.starts_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        days = (data["ends_on"] - data["starts_on"]).days + 1
        sessions = [
            (str(_("Day %(day)s") % {"day": day + 1}), data["starts_on"] + timedelta(days=day))
            for day in range(min(data["sessions"], max(days, 0)))
        ]
        try:
            workshop = services.workshop_create(
                actor=acting_user(request),
                round_=round_,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                place=data["place"],
                department=data["department"],
                sessions=sessions,
            )
        except ValidationError as error:
            _invalid(form, error)
        else:
            return redirect("baseline:workshop", pk=workshop.pk)
    return _render(request, "baseline/form.html", {"form": form, "title": _("New workshop"), "round": round_}, form)


def _workshop_permission(user: Any) -> Permission:
    """Viewers read workshops as aggregates; those who only sign people in reach theirs to record."""
    return P.VIEW if access.has_perm(user, P.VIEW) else P.RECORD


@permission_required(P.VIEW, P.RECORD)
def workshops(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request, "baseline/workshops.html", {"workshops": selectors.workshops_visible(user, _workshop_permission(user))}
    )


@permission_required(P.VIEW, P.RECORD)
def workshop(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    found = selectors.workshop_for(user, pk, _workshop_permission(user))
    sees_names = access.visible(user, P.PARTICIPANTS, Workshop.objects.filter(pk=found.pk)).exists()
    return render(
        request,
        "baseline/workshop.html",
        {
            "workshop": found,
            "figures": workshop_figures(found),
            "participants": found.participants.select_related("institution", "department") if sees_names else None,
            "outputs": found.outputs.all(),
            "findings": found.findings.all(),
            "can_manage": access.has_perm(user, P.MANAGE),
            "can_record": access.has_perm(user, P.RECORD),
            "session_form": SessionForm(initial={"held_on": found.starts_on}),
            "output_form": OutputForm(),
        },
    )


@require_POST
@permission_required(P.MANAGE)
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.workshop_for(acting_user(request), pk, P.MANAGE)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_add(actor=acting_user(request), workshop=found, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Session added."))
    else:
        messages.error(request, _("The session needs a title and a date."))
    return redirect("baseline:workshop", pk=found.pk)


@require_POST
@permission_required(P.MANAGE)
def output_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.workshop_for(acting_user(request), pk, P.MANAGE)
    form = OutputForm(request.POST)
    if form.is_valid():
        services.output_add(actor=acting_user(request), workshop=found, **form.cleaned_data)
        messages.success(request, _("Group output recorded."))
    else:
        messages.error(request, _("The output needs its group and its text."))
    return redirect("baseline:workshop", pk=found.pk)


@permission_required(P.RECORD)
def participant_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.workshop_for(acting_user(request), pk, P.RECORD)
    form = ParticipantForm(request.POST or None, initial={"department": found.department})
    if request.method == "POST" and form.is_valid():
        services.participant_add(actor=acting_user(request), workshop=found, **form.cleaned_data)
        messages.success(request, _("Participant registered."))
        if request.POST.get("action") == "another":
            return redirect("baseline:participant_new", pk=found.pk)
        return redirect("baseline:workshop", pk=found.pk)
    return _render(request, "baseline/participant_form.html", {"form": form, "workshop": found}, form)


@permission_required(P.RECORD)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(acting_user(request), pk, P.RECORD)
    present = session.attendance.values_list("participant_id", flat=True)
    form = AttendanceForm(request.POST or None, workshop=session.workshop, initial={"present": list(present)})
    if request.method == "POST" and form.is_valid():
        added, removed = services.attendance_record(
            actor=acting_user(request), session=session, present=form.cleaned_data["present"]
        )
        messages.success(
            request,
            _("Sign-in saved: %(added)s signed in, %(removed)s removed.") % {"added": added, "removed": removed},
        )
        return redirect("baseline:workshop", pk=session.workshop_id)
    return _render(request, "baseline/attendance.html", {"form": form, "session": session}, form)


@permission_required(P.MANAGE)
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = selectors.round_for(user, pk, P.MANAGE)
    form = FindingForm(
        request.POST or None,
        workshops=round_.workshops.all(),
        evidence=selectors.evidence_choices(user, round_),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.finding_create(
            actor=user,
            round_=round_,
            kind=data["kind"],
            text=data["text"],
            workshop=data["workshop"],
            evidence=selectors.evidence_records(data["evidence"]),
        )
        messages.success(request, _("Recorded with its evidence."))
        return redirect("baseline:round", pk=round_.pk)
    return _render(
        request,
        "baseline/form.html",
        {"form": form, "title": _("New finding or recommendation"), "round": round_},
        form,
    )


@permission_required(P.MANAGE)
def assessment(request: HttpRequest, pk: int, institution: str) -> HttpResponse:
    user = acting_user(request)
    round_ = selectors.round_for(user, pk, P.MANAGE)
    found = Institution.objects.filter(code=institution, is_active=True).first()
    if found is None:
        raise Http404
    existing = CapacityAssessment.objects.filter(round=round_, institution=found).first()
    initial = dict(existing.scores.values_list("dimension__code", "value")) if existing else {}
    form = AssessmentForm(request.POST or None, dimensions=selectors.active_dimensions(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(actor=user, round_=round_, institution=found, scores=form.scores())
        except ValidationError as error:
            _invalid(form, error)
        else:
            messages.success(request, _("Capacity scores saved for %(institution)s.") % {"institution": found.name})
            return redirect("baseline:round", pk=round_.pk)
    return _render(request, "baseline/assessment.html", {"form": form, "round": round_, "institution": found}, form)


@permission_required(P.VIEW)
def comparison(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.study_for(acting_user(request), pk)
    data = capacity_comparison(found)
    return render(
        request,
        "baseline/comparison.html",
        {"study": found, "comparison": data, "chart": comparison_chart_data(data)},
    )


@permission_required(P.VIEW)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.study_for(acting_user(request), pk)
    return render(
        request,
        "baseline/results.html",
        {
            "study": found,
            "rounds": ordered_rounds(found),
            "rows": results_framework(found),
            "can_manage": access.has_perm(request.user, P.MANAGE),
            "value_form": ResultValueForm(),
        },
    )


@permission_required(P.MANAGE)
def result_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.study_for(acting_user(request), pk, P.MANAGE)
    form = ResultIndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.result_indicator_create(actor=acting_user(request), study=found, **form.cleaned_data)
        return redirect("baseline:results", pk=found.pk)
    return _render(
        request, "baseline/form.html", {"form": form, "title": _("New results indicator"), "study": found}, form
    )


@require_POST
@permission_required(P.MANAGE)
def result_value(request: HttpRequest, pk: int, round_pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = selectors.round_for(user, round_pk, P.MANAGE)
    indicator = ResultIndicator.objects.filter(pk=pk, study=round_.study).first()
    if indicator is None:
        raise Http404
    form = ResultValueForm(request.POST)
    if form.is_valid():
        try:
            services.result_value_record(actor=user, indicator=indicator, round_=round_, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Actual value recorded."))
    else:
        messages.error(request, _("An actual value needs a number and its source."))
    return redirect("baseline:results", pk=round_.study_id)


@permission_required(P.VIEW)
def initiatives(request: HttpRequest) -> HttpResponse:
    form = InitiativeFilterForm(request.GET or None)
    rows = Initiative.objects.select_related("institution").prefetch_related("departments")
    if form.is_valid():
        data = form.cleaned_data
        if data["pillar"]:
            rows = rows.filter(pillar=data["pillar"])
        if data["institution"]:
            rows = rows.filter(institution=data["institution"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["department"]:
            rows = rows.filter(
                pk__in=Initiative.departments.through.objects.filter(department=data["department"]).values(
                    "initiative_id"
                )
            ) | rows.filter(coverage="national")
    return render(
        request,
        "baseline/initiatives.html",
        {
            "form": form,
            "initiatives": rows,
            "pillars": initiatives_by_pillar(rows),
            "can_manage": access.has_perm(request.user, P.MANAGE),
        },
    )


@permission_required(P.MANAGE)
def initiative_new(request: HttpRequest) -> HttpResponse:
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.initiative_create(actor=acting_user(request), **form.cleaned_data)
        messages.success(request, _("Initiative recorded."))
        return redirect("baseline:initiatives")
    return _render(request, "baseline/form.html", {"form": form, "title": _("New initiative")}, form)


@permission_required(P.VIEW)
def actor_map(request: HttpRequest) -> HttpResponse:
    network = build_actor_map(ActorLink.objects.all())
    by_department, national = initiatives_by_department(Initiative.objects.all())
    return render(
        request,
        "baseline/actor_map.html",
        {
            "network": network,
            "by_department": by_department,
            "department_rows": [
                (department.name, by_department.get(department.code, 0))
                for department in Department.objects.order_by("name")
            ],
            "national": national,
            "can_manage": access.has_perm(request.user, P.MANAGE),
        },
    )


@permission_required(P.MANAGE)
def link_new(request: HttpRequest) -> HttpResponse:
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_create(actor=acting_user(request), **form.cleaned_data)
        except ValidationError as error:
            _invalid(form, error)
        else:
            messages.success(request, _("Link recorded."))
            return redirect("baseline:actor_map")
    return _render(request, "baseline/form.html", {"form": form, "title": _("New declared link")}, form)


@require_POST
@permission_required(P.VIEW)
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    round_ = selectors.round_for(user, pk)
    found = reports.report_request(actor=user, round_=round_, language=get_language() or "es")
    return redirect("baseline:report", pk=found.pk)


def _report_context(report: Any) -> dict[str, Any]:
    return {
        "report": report,
        "percent": reports.progress(report),
        "complete": report.status == ReportStatus.COMPLETE,
        "failed": reports.gave_up(report),
        "formats": [(code, label) for code, (_type, label) in reports.REPORT_FORMATS.items()],
    }


@permission_required(P.VIEW)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "baseline/report.html", _report_context(selectors.report_for(acting_user(request), pk)))


@permission_required(P.VIEW)
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the report page polls (htmx) until the files are ready."""
    return render(
        request, "baseline/report_progress.html", _report_context(selectors.report_for(acting_user(request), pk))
    )


@permission_required(P.VIEW)
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = acting_user(request)
    found = selectors.report_for(user, pk)
    content = reports.report_file(actor=user, report=found, fmt=fmt)
    if content is None:
        raise Http404
    name = f"baseline-{found.round.study_id}-{found.round.kind}-{found.pk}.{fmt}"
    response = HttpResponse(content, content_type=reports.REPORT_FORMATS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
