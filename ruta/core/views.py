from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ruta.core.http import AuthenticatedHttpRequest
from ruta.policy.decorators import login_required
from ruta.policy.roles import ROLES


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = request.user.memberships.filter(is_active=True).select_related("institution")
    roles = [
        {"membership": membership, "role": ROLES[membership.role]}
        for membership in memberships
        if membership.role in ROLES
    ]
    return render(request, "core/home.html", {"roles": roles})


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
