from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.core.http import acting_user
from ruta.policy.decorators import permission_required
from ruta.screening.catalogue import CatalogueFileError
from ruta.screening.display import display_result
from ruta.screening.errors import ScreeningError
from ruta.screening.forms import CatalogueImportForm, ScreeningForm
from ruta.screening.permissions import ScreeningPermission
from ruta.screening.selectors import active_rule_table, catalogue_lists, dimensions
from ruta.screening.services import indicator_list_replace, screening_run


@require_http_methods(["GET", "POST"])
@permission_required(ScreeningPermission.RUN)
def calculator(request: HttpRequest) -> HttpResponse:
    """Try the screening without saving anything (training, a quick check before recording)."""
    # "refresh" is the no-JavaScript way to show the list for new answers.
    refresh = "refresh" in request.POST
    form = ScreeningForm.refreshed(request.POST) if refresh else ScreeningForm(request.POST or None)
    result: dict[str, Any] | None = None
    if form.is_bound and form.is_valid():
        try:
            result = display_result(screening_run(data=form.screening_input()).as_record())
        except ScreeningError as exc:
            form.add_error(None, str(exc))
    return render(request, "screening/calculator.html", {"form": form, "screening_result": result})


@require_GET
@permission_required(ScreeningPermission.RUN)
def indicator_fields(request: HttpRequest) -> HttpResponse:
    """The indicator checkboxes for the answers given so far (htmx partial of the screening form)."""
    prefix = request.GET.get("_screening_prefix") or None
    form = ScreeningForm.refreshed(request.GET, prefix=prefix)
    return render(request, "screening/includes/indicators.html", {"form": form})


@require_GET
@permission_required(ScreeningPermission.CATALOGUE_MANAGE)
def catalogue(request: HttpRequest) -> HttpResponse:
    return _catalogue_page(request, CatalogueImportForm())


@require_POST
@permission_required(ScreeningPermission.CATALOGUE_MANAGE)
def catalogue_import(request: HttpRequest) -> HttpResponse:
    form = CatalogueImportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = indicator_list_replace(
                actor=acting_user(request),
                list_code=data["indicator_list"],
                content=data["file"].read(),
                verification=data["verification"],
                source=data["source"],
            )
        except CatalogueFileError as exc:
            for problem in exc.problems[:20]:
                form.add_error("file", problem)
        else:
            messages.success(
                request,
                _(
                    "List %(list)s replaced (version %(version)d): %(created)d new, %(updated)d changed, "
                    "%(deactivated)d deactivated, %(unchanged)d unchanged."
                )
                % {"list": change.code, **change.as_dict()},
            )
            return redirect("screening:catalogue")
    return _catalogue_page(request, form, status=400)


def _catalogue_page(request: HttpRequest, form: CatalogueImportForm, status: int = 200) -> HttpResponse:
    context = {
        "lists": catalogue_lists(),
        "dimensions": dimensions(),
        "rule_table": active_rule_table(),
        "form": form,
    }
    return render(request, "screening/catalogue.html", context, status=status)
