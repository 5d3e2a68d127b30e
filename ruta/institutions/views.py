from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ruta.core.http import acting_user
from ruta.institutions.forms import DirectoryFilterForm
from ruta.institutions.models import Institution
from ruta.institutions.permissions import DirectoryPermission
from ruta.institutions.selectors import directory
from ruta.policy.access import get_visible_or_404
from ruta.policy.decorators import permission_required


@permission_required(DirectoryPermission.VIEW)
def directory_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    department = data.get("department")
    service = data.get("service")
    institutions = directory(
        actor=acting_user(request),
        municipality=data.get("municipality"),
        department_code=department.code if department else "",
        service_code=service.code if service else "",
        institution_type=data.get("type", ""),
    )
    return render(request, "institutions/directory.html", {"form": form, "institutions": institutions})


@permission_required(DirectoryPermission.VIEW)
def institution_detail(request: HttpRequest, code: str) -> HttpResponse:
    institution = get_visible_or_404(
        request.user,
        DirectoryPermission.VIEW,
        Institution.objects.select_related("parent", "headquarters__department").prefetch_related(
            "services__category", "contact_points", "departments"
        ),
        code=code,
    )
    return render(request, "institutions/detail.html", {"institution": institution})
