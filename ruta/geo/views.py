from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control

from ruta.geo.models import Municipality
from ruta.geo.services import department_boundaries


@cache_control(max_age=86400, public=True)
def municipalities(request: HttpRequest) -> HttpResponse:
    """Public: the place pickers of the alert forms need it without logging in."""
    rows = Municipality.objects.order_by("department__code", "name").values_list("code", "name", "department__code")
    department = request.GET.get("department", "")
    if department:
        rows = rows.filter(department__code=department)
    return JsonResponse({"municipalities": [{"code": c, "name": n, "department": d} for c, n, d in rows]})


@cache_control(max_age=86400, public=True)
def departments_geojson(request: HttpRequest) -> HttpResponse:
    return JsonResponse(department_boundaries())
