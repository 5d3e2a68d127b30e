"""The public certificate check: anyone holding a certificate's code (printed, or in its QR) sees
the name, the course, the date and whether it is valid or revoked, nothing else. Throttled per
address so codes cannot be guessed by brute force (they are 128-bit random anyway)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ruta.core import throttle
from ruta.training.models import Certificate, CertificateStatus

RATE = "60/hour"


@never_cache
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    address = request.META.get("REMOTE_ADDR") or "unknown"
    if not throttle.allowed(scope="training.verify", ident=address, rate=RATE):
        return render(request, "training/verify.html", {"throttled": True}, status=429)
    found = (
        Certificate.objects.filter(code=code)
        .values("participant_name", "course_title", "completed_on", "status")
        .first()
    )
    context = {"found": found, "revoked": found is not None and found["status"] == CertificateStatus.REVOKED}
    return render(request, "training/verify.html", context, status=200 if found else 404)
