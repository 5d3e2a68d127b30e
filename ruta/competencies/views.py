from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.audit.services import audit_read
from ruta.competencies import selectors, services
from ruta.competencies.forms import AssessmentForm, FrameworkUploadForm, HeatmapForm
from ruta.competencies.models import Assessment, AssessmentKind, AssessmentStatus, Framework
from ruta.competencies.permissions import CompetencyPermission
from ruta.competencies.spreadsheets import (
    XLSX_CONTENT_TYPE,
    FrameworkImportError,
    export_csv,
    export_xlsx,
    import_framework,
)
from ruta.core.http import acting_user
from ruta.policy import access
from ruta.policy.decorators import login_required, permission_required

P = CompetencyPermission
PEOPLE_PERMISSIONS = (P.ASSESS, P.VIEW_ASSESSMENTS)


def _framework(code: str) -> Framework:
    return get_object_or_404(Framework, code=code)


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "competencies/framework_list.html",
        {
            "frameworks": selectors.frameworks().prefetch_related("competencies"),
            "can_manage": access.has_perm(request.user, P.FRAMEWORK_MANAGE),
        },
    )


@login_required
def framework_detail(request: HttpRequest, code: str) -> HttpResponse:
    framework = selectors.framework_structure(_framework(code))
    targets: dict[str, dict[int, int]] = defaultdict(dict)
    for target in framework.targets.all():
        targets[target.role][target.competency_id] = target.level
    return render(
        request,
        "competencies/framework_detail.html",
        {
            "framework": framework,
            "target_rows": [(selectors.role_label(role), by_competency) for role, by_competency in targets.items()],
            "target_roles": [selectors.role_label(role) for role in framework.target_roles],
            "can_manage": access.has_perm(request.user, P.FRAMEWORK_MANAGE),
        },
    )


@login_required
def framework_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    framework = _framework(code)
    if fmt == "xlsx":
        response = HttpResponse(export_xlsx(framework), content_type=XLSX_CONTENT_TYPE)
    elif fmt == "csv":
        response = HttpResponse(export_csv(framework), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{framework.code}.{fmt}"'
    return response


@permission_required(P.FRAMEWORK_MANAGE)
def framework_import(request: HttpRequest) -> HttpResponse:
    form = FrameworkUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            framework = import_framework(upload.read(), filename=upload.name, actor=acting_user(request))
        except FrameworkImportError as error:
            errors = error.errors
        else:
            messages.success(request, _("The framework was imported."))
            return redirect("competencies:framework", code=framework.code)
    return render(request, "competencies/framework_import.html", {"form": form, "errors": errors})


@login_required
def my_competencies(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(request, "competencies/my_competencies.html", _record(user) | {"is_self": True})


def _record(person: User) -> dict[str, Any]:
    """Gaps, levels over time and assessments of ``person``, for their page or a supervisor's."""
    frameworks = selectors.frameworks_for(person)
    assessed = {
        framework.pk: framework for framework in Framework.objects.filter(assessments__person=person).distinct()
    }
    shown = list({framework.pk: framework for framework in [*frameworks, *assessed.values()]}.values())
    return {
        "person": person,
        "sections": [
            {
                "framework": framework,
                "gaps": selectors.gaps_for(person, framework),
                "history": selectors.history_table(person, framework),
            }
            for framework in shown
        ],
        "assessments": Assessment.objects.filter(person=person).select_related("framework", "assessor"),
    }


def _assessment_page(
    request: HttpRequest, *, person: User, framework: Framework, kind: str, cancel_url: str
) -> HttpResponse:
    actor = acting_user(request)
    form = AssessmentForm(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                actor=actor,
                person=person,
                framework=framework,
                kind=kind,
                assessed_on=form.cleaned_data["assessed_on"],
                round_label=form.cleaned_data["round_label"],
                ratings=form.ratings(),
                submit=request.POST.get("action") != "draft",
            )
        except services.AssessmentError as error:
            form.add_error(None if error.field == "non_field_errors" else error.field, str(error.message))
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect("competencies:assessment", pk=assessment.pk)
    return render(
        request,
        "competencies/assessment_form.html",
        {"form": form, "framework": framework, "person": person, "kind": kind, "cancel_url": cancel_url},
    )


@login_required
def self_assess(request: HttpRequest, code: str) -> HttpResponse:
    framework = get_object_or_404(selectors.active_frameworks(), code=code)
    return _assessment_page(
        request,
        person=acting_user(request),
        framework=framework,
        kind=AssessmentKind.SELF,
        cancel_url="competencies:mine",
    )


def _person_for(request: HttpRequest, user_id: int) -> User:
    """A person the reader may see the record of (or assess); 404 otherwise."""
    reader = acting_user(request)
    if user_id == reader.pk:
        raise Http404  # one's own record is "My competencies"
    reachable = selectors.persons_visible(reader).filter(pk=user_id).exists()
    reachable = reachable or services.assessable_persons(reader).filter(pk=user_id).exists()
    if not reachable:
        raise Http404
    return get_object_or_404(User, pk=user_id)


@permission_required(*PEOPLE_PERMISSIONS)
def people(request: HttpRequest) -> HttpResponse:
    reader = acting_user(request)
    visible = selectors.persons_visible(reader)
    assessable = services.assessable_persons(reader)
    persons = (
        User.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=assessable.values("pk")))
        .exclude(pk=reader.pk)
        .order_by("last_name", "first_name", "username")
    )
    query = request.GET.get("q", "").strip()
    if query:
        persons = persons.filter(Q(last_name__icontains=query) | Q(first_name__icontains=query))
    return render(request, "competencies/people.html", {"persons": persons[:200], "query": query})


@permission_required(*PEOPLE_PERMISSIONS)
def person_record(request: HttpRequest, user_id: int) -> HttpResponse:
    person = _person_for(request, user_id)
    audit_read(actor=acting_user(request), obj=person, request=request, reason="competency record")
    context = _record(person) | {
        "is_self": False,
        "can_assess": services.assessable_persons(acting_user(request)).filter(pk=person.pk).exists(),
        "frameworks": selectors.active_frameworks(),
    }
    context["assessments"] = selectors.assessments_visible(request.user, context["assessments"])
    if not access.has_perm(request.user, P.VIEW_ASSESSMENTS):
        # An assessor without the reading permission sees only what they recorded themselves.
        context["assessments"] = context["assessments"].filter(assessor=acting_user(request))
        context["sections"] = []
    return render(request, "competencies/person.html", context)


@permission_required(P.ASSESS)
def assess(request: HttpRequest, user_id: int, code: str) -> HttpResponse:
    person = _person_for(request, user_id)
    if not services.assessable_persons(acting_user(request)).filter(pk=person.pk).exists():
        raise Http404
    framework = get_object_or_404(selectors.active_frameworks(), code=code)
    kind = request.GET.get("kind") or request.POST.get("kind") or AssessmentKind.SUPERVISOR
    if kind not in (AssessmentKind.SUPERVISOR, AssessmentKind.FOLLOW_UP):
        raise Http404
    return _assessment_page(request, person=person, framework=framework, kind=kind, cancel_url="competencies:people")


def _assessment_for(request: HttpRequest, pk: int) -> Assessment:
    queryset = Assessment.objects.select_related("framework", "person", "assessor", "institution", "department")
    return get_object_or_404(selectors.assessments_visible(request.user, queryset), pk=pk)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    reader = acting_user(request)
    if assessment.person_id != reader.pk:
        audit_read(actor=reader, obj=assessment, request=request)
    ratings = assessment.ratings.select_related("competency__domain").order_by("competency__order")
    levels = {level.level: level for level in assessment.framework.levels.all()}
    return render(
        request,
        "competencies/assessment_detail.html",
        {
            "assessment": assessment,
            "rows": [(rating, levels.get(rating.level)) for rating in ratings],
            "can_edit": assessment.status == AssessmentStatus.DRAFT and assessment.assessor_id == reader.pk,
        },
    )


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    reader = acting_user(request)
    if assessment.assessor_id != reader.pk or assessment.status != AssessmentStatus.DRAFT:
        raise Http404
    current = dict(assessment.ratings.values_list("competency_id", "level"))
    form = AssessmentForm(request.POST or None, framework=assessment.framework, initial_levels=current, with_date=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                actor=reader,
                assessment=assessment,
                ratings=form.ratings(),
                submit=request.POST.get("action") != "draft",
            )
        except services.AssessmentError as error:
            form.add_error(None, str(error.message))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect("competencies:assessment", pk=assessment.pk)
    return render(
        request,
        "competencies/assessment_form.html",
        {
            "form": form,
            "framework": assessment.framework,
            "person": assessment.person,
            "kind": assessment.kind,
            "assessment": assessment,
            "cancel_url": "competencies:mine",
        },
    )


@permission_required(P.HEATMAP)
def heatmap(request: HttpRequest) -> HttpResponse:
    form = HeatmapForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    framework = chosen.get("framework") or selectors.frameworks().filter(assessments__isnull=False).first()
    framework = framework or selectors.frameworks().first()
    result = None
    if framework is not None:
        by: selectors.HeatmapBy = "department" if chosen.get("by") == "department" else "institution"
        result = selectors.gap_heatmap(framework, by=by, reader=request.user)
    return render(request, "competencies/heatmap.html", {"form": form, "heatmap": result})
