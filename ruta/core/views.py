from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ruta.accounts.decorators import login_required
from ruta.accounts.roles import ROLES
from ruta.core.http import AuthenticatedHttpRequest


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
