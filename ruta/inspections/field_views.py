"""The inspector's field form: an app shell that works offline (its data comes from the inspection
API into the phone's IndexedDB), the service worker that keeps the shell, and its web manifest."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ruta.inspections.models import AgeGroup, Exploitation, InspectionType, Sex, VisitStatus
from ruta.inspections.permissions import InspectionPermission
from ruta.policy.decorators import permission_required

SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "js" / "inspections-sw.js"


@never_cache  # the service worker keeps its own copy; the browser's cache must not hand out a stale token
@require_GET
@permission_required(InspectionPermission.RECORD)
def shell(request: HttpRequest) -> HttpResponse:
    # Labels for the codes the records carry, so the page never shows a code (also offline).
    choices = {
        "age_group": dict(AgeGroup.choices),
        "sex": dict(Sex.choices),
        "exploitation": dict(Exploitation.choices),
        "inspection_type": dict(InspectionType.choices),
        "status": dict(VisitStatus.choices),
    }
    context = {
        "choices": {group: {key: str(text) for key, text in values.items()} for group, values in choices.items()},
        "age_groups": AgeGroup.choices,
        "sexes": Sex.choices,
        "exploitations": Exploitation.choices,
    }
    return render(request, "inspections/field/shell.html", context)


@lru_cache(maxsize=1)
def _service_worker_source() -> str:
    return SERVICE_WORKER.read_text(encoding="utf-8")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Public like any script: it holds no data, and a browser re-checks it even when the session
    has ended. Served from the shell's folder so that its scope is the shell's."""
    response = HttpResponse(_service_worker_source(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("inspections_field:shell")
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """Lets an inspector put the form on the phone's home screen (it opens on the kept shell)."""
    scope = reverse("inspections_field:shell")
    response = JsonResponse(
        {
            "name": _("Ruta · labour inspection visits"),
            "short_name": _("Inspection"),
            "start_url": scope,
            "scope": scope,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b5cad",
        },
        content_type="application/manifest+json",
    )
    response["Cache-Control"] = "no-cache"
    return response
