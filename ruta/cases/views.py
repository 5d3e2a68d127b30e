"""Case pages: list, open, detail and work lists. The steps on a case are in ``step_views``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ruta.audit.services import audit_read
from ruta.cases.actions import case_actions_for
from ruta.cases.duplicates import DUPLICATES_SEEN, FormDuplicates, duplicates_checked, likely_duplicates
from ruta.cases.forms import CaseFilterForm, CaseOpenForm, VictimFormSet
from ruta.cases.permissions import CasePermission
from ruta.cases.selectors import CaseFilters, case_detail, case_get, case_list
from ruta.cases.services import CaseError, case_open_direct
from ruta.core.http import AuthenticatedHttpRequest
from ruta.core.worklist import worklist_items
from ruta.policy.access import has_perm
from ruta.policy.decorators import permission_required
from ruta.policy.permissions import PlatformPermission

PAGE_SIZE = 25


@permission_required(CasePermission.VIEW)
def case_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = CaseFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = CaseFilters(
            q=data.get("q") or "",
            stage=data.get("stage") or "",
            exploitation=data.get("exploitation") or "",
            department=data["department"].code if data.get("department") else "",
            lead_institution=data["lead_institution"].code if data.get("lead_institution") else "",
            has_child={"yes": True, "no": False}.get(data.get("has_child") or ""),
            opened_from=data.get("opened_from"),
            opened_to=data.get("opened_to"),
            mine=bool(data.get("mine")),
        )
    page = Paginator(case_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {"form": form, "page": page, "can_open": has_perm(request.user, CasePermission.CREATE)},
    )


@permission_required(CasePermission.CREATE)
def case_open_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CaseOpenForm(request.POST or None, user=request.user)
    victims = VictimFormSet(request.POST or None, prefix="victims")
    status = 200
    duplicates: list[FormDuplicates] = []
    if request.method == "POST":
        if form.is_valid() and victims.is_valid():
            data = form.cleaned_data
            filled = [victim for victim in victims.forms if victim.has_changed()]
            checked = duplicates_checked(filled)
            if request.POST.get(DUPLICATES_SEEN) != checked:
                duplicates = likely_duplicates(request.user, filled)
            if duplicates:
                # Shown before anything is saved; submitting the same again saves (different persons).
                context = {"form": form, "victims": victims, "duplicates": duplicates, "duplicates_checked": checked}
                return render(request, "cases/open.html", context)
            try:
                case = case_open_direct(
                    actor=request.user,
                    lead_institution=data["lead_institution"],
                    municipality=data["municipality"],
                    exploitation=data["exploitation"],
                    narrative=data.get("narrative", ""),
                    opened_at=form.opened_at(),
                    victims=[victim.to_input() for victim in filled],
                )
            except CaseError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
                return redirect("cases:detail", reference=case.reference)
        status = 400
    return render(request, "cases/open.html", {"form": form, "victims": victims}, status=status)


@permission_required(CasePermission.VIEW)
def case_detail_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = case_get(request.user, reference)
    detail = case_detail(request.user, case)
    with transaction.atomic():
        audit_read(actor=request.user, obj=case, request=request)
        for participant in detail["participants"]:
            if participant.identity is not None:
                audit_read(actor=request.user, obj=participant.person, request=request, reason=case.reference)
    actions = case_actions_for(request.user, case)
    return render(request, "cases/detail.html", {"case": case, "actions": actions, **detail})


def _worklist(request: AuthenticatedHttpRequest, *, team: bool) -> HttpResponse:
    items = worklist_items(request.user, team=team)
    context: dict[str, Any] = {
        "team": team,
        "overdue": [item for item in items if item.overdue],
        "due_soon": [item for item in items if item.due_soon],
        "later": [item for item in items if not item.overdue and not item.due_soon],
    }
    return render(request, "cases/worklist.html", context)


@permission_required(PlatformPermission.WORKLIST_VIEW)
def my_work_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _worklist(request, team=False)


@permission_required(PlatformPermission.TEAM_WORKLIST_VIEW)
def team_work_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _worklist(request, team=True)
