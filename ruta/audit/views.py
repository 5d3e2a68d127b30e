from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ruta.audit.forms import AuditFilterForm
from ruta.audit.selectors import audit_events_visible
from ruta.core.http import acting_user
from ruta.policy.decorators import permission_required
from ruta.policy.permissions import PlatformPermission

PAGE_SIZE = 50


@permission_required(PlatformPermission.AUDIT_VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = audit_events_visible(actor=acting_user(request), **filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"form": form, "page": page})
