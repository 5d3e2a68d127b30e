from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ruta.policy.decorators import permission_required
from tests.plugin_app.permissions import OutreachPermission
from tests.plugin_app.selectors import visits_visible


@permission_required(OutreachPermission.VIEW)
def visit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plugin_app/visits.html", {"visits": visits_visible(actor=request.user)})
