"""Online pages of labour inspection: the ranked plan (and planning visits from it), visits and
their assignment, the workplace registry. The inspector's offline form is ``field_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ruta.core.http import acting_user
from ruta.inspections import services
from ruta.inspections.forms import AssignForm, EstablishmentForm, PlanFilterForm, PlanVisitsForm
from ruta.inspections.models import InspectionType, RiskFactor
from ruta.inspections.payloads import visit_payload
from ruta.inspections.permissions import InspectionPermission
from ruta.inspections.registry import EstablishmentError, EstablishmentInput, establishment_create
from ruta.inspections.risk import ranked_plan
from ruta.inspections.selectors import (
    establishment_for,
    establishments_visible,
    infractions_of,
    visit_for,
    visit_history,
    visits_visible,
)
from ruta.policy import access
from ruta.policy.decorators import permission_required

PAGE_SIZE = 25
P = InspectionPermission


def _factor_labels() -> dict[str, str]:
    return {factor.code: factor.label for factor in RiskFactor.objects.all()}


def _explained(risk_factors: list[dict[str, Any]], labels: dict[str, str]) -> list[dict[str, Any]]:
    """A stored risk explanation with each factor's label in the active language (its code if the factor is gone)."""
    return [
        {"label": labels.get(item["factor"], item["factor"]), "units": item["units"], "points": item["points"]}
        for item in risk_factors
    ]


def _planning_context(request: HttpRequest) -> dict[str, object]:
    user = acting_user(request)
    filters = PlanFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    since, until = filters.period()
    department = data.get("department")
    municipality = data.get("municipality")
    rows = ranked_plan(
        access.visible(user, P.PLAN, establishments_visible(user)),
        department_id=department.pk if department else None,
        municipality_id=municipality.pk if municipality else None,
        since=since,
        until=until,
    )
    institutions = access.institutions_with(user, P.PLAN)
    labels = _factor_labels()
    for row in rows:
        row.explained = _explained(row.risk_factors, labels)  # type: ignore[attr-defined]
    return {
        "filters": filters,
        "rows": rows,
        "since": since,
        "until": until,
        "workloads": services.workloads(institutions, since=since, until=until),
        "inspectors": services.inspectors(institutions),
    }


@permission_required(P.PLAN)
def plan(request: HttpRequest) -> HttpResponse:
    """The riskiest workplaces of a territory for a period, with the inspectors' workload; ticking
    rows plans visits (a joint operation with its partners)."""
    context = _planning_context(request)
    user = acting_user(request)
    form = PlanVisitsForm(
        request.POST or None,
        establishments=access.visible(user, P.PLAN, establishments_visible(user)),
        inspectors=context["inspectors"],  # type: ignore[arg-type]
        initial={"planned_for": context["since"]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["inspection_type"] == InspectionType.JOINT_OPERATION:
                first = data["establishments"][0]
                services.joint_operation_create(
                    actor=user,
                    name=data["operation_name"],
                    planned_for=data["planned_for"],
                    municipality=first.municipality,
                    partners=list(data["partners"]),
                    establishments=list(data["establishments"]),
                    inspector=data["inspector"],
                )
            else:
                for establishment in data["establishments"]:
                    services.visit_plan(
                        actor=user,
                        establishment=establishment,
                        inspection_type=data["inspection_type"],
                        planned_for=data["planned_for"],
                        inspector=data["inspector"],
                    )
        except services.PlanningError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("%(count)d visits planned.") % {"count": len(data["establishments"])})
            return redirect(request.get_full_path())
    return render(request, "inspections/plan.html", {**context, "form": form})


@permission_required(P.VIEW)
def visit_list(request: HttpRequest) -> HttpResponse:
    rows = visits_visible(acting_user(request))
    status = request.GET.get("status")
    if status in ("planned", "in_progress", "completed"):
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-visit_date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/visit_list.html", {"page": page, "status": status})


@permission_required(P.VIEW)
def visit_detail(request: HttpRequest, visit_uuid: str) -> HttpResponse:
    user = acting_user(request)
    visit = visit_for(user, visit_uuid)
    payload = visit_payload(user, visit)
    can_assign = (
        visit.status != "completed" and access.visible(user, P.PLAN, visits_visible(user)).filter(pk=visit.pk).exists()
    )
    return render(
        request,
        "inspections/visit_detail.html",
        {
            "visit": visit,
            "payload": payload,
            "steps": [
                {
                    **step,
                    "done": (visit.steps.get(step["code"]) or {}).get("done"),
                    "note": (visit.steps.get(step["code"]) or {}).get("note"),
                }
                for step in payload["protocol"]["steps"]
            ],
            "interviews": visit.interviews.select_related("screening"),
            "infractions": infractions_of(visit),
            "handover": getattr(visit, "handover", None),
            "assign_form": AssignForm(inspectors=services.inspectors([visit.institution_id])) if can_assign else None,
            "evidence_count": visit.evidence.count(),
        },
    )


@require_POST
@permission_required(P.PLAN)
def visit_assign(request: HttpRequest, visit_uuid: str) -> HttpResponse:
    user = acting_user(request)
    visit = access.get_visible_or_404(user, P.PLAN, visits_visible(user), uuid=visit_uuid)
    form = AssignForm(request.POST, inspectors=services.inspectors([visit.institution_id]))
    if form.is_valid():
        try:
            services.visit_assign(actor=user, visit=visit, inspector=form.cleaned_data["inspector"])
            messages.success(request, _("Visit assigned."))
        except services.PlanningError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose an inspector of the inspectorate."))
    return redirect("inspections:visit", visit_uuid=visit.uuid)


@permission_required(P.ESTABLISHMENT_VIEW)
def establishment_list(request: HttpRequest) -> HttpResponse:
    rows = establishments_visible(acting_user(request))
    query = (request.GET.get("q") or "").strip()
    if query:
        rows = rows.filter(name__icontains=query)
    page = Paginator(rows.order_by("-risk_score", "name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    can_add = access.has_perm(request.user, P.ESTABLISHMENT_MANAGE)
    return render(request, "inspections/establishment_list.html", {"page": page, "q": query, "can_add": can_add})


@permission_required(P.ESTABLISHMENT_VIEW)
def establishment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    establishment = establishment_for(user, pk)
    visits = access.visible(user, P.VIEW, visit_history(establishment)) if access.has_perm(user, P.VIEW) else None
    explained = _explained(establishment.risk_factors, _factor_labels())
    return render(
        request,
        "inspections/establishment_detail.html",
        {"establishment": establishment, "visits": visits, "explained": explained},
    )


@permission_required(P.ESTABLISHMENT_MANAGE)
def establishment_new(request: HttpRequest) -> HttpResponse:
    form = EstablishmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            establishment = establishment_create(
                actor=acting_user(request),
                data=EstablishmentInput(
                    name=data["name"],
                    sector=data["sector"],
                    municipality=data["municipality"],
                    tax_id=data["tax_id"],
                    address=data["address"],
                    size=data["size"],
                    workers=data["workers"],
                ),
                allow_duplicate=data["confirm_new"],
            )
        except EstablishmentError as error:
            for field, items in error.errors.items():
                for _code, message in items:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Establishment registered."))
            return redirect("inspections:establishment", pk=establishment.pk)
    return render(request, "inspections/establishment_new.html", {"form": form})
