"""Public pages, no log-in: report an alert (works offline with JavaScript, and without JavaScript),
check its status with the tracking code, the RapidPro webhook and the service worker."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.alerts import forms, public_intake, rapidpro
from ruta.alerts.intake import AlertInputError, alert_by_tracking_code, new_tracking_code, public_status_of
from ruta.alerts.models import Channel, PublicStatus
from ruta.core import throttle

logger = logging.getLogger(__name__)


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _throttled(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["throttled"] = True
    return render(request, template, context, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    form = forms.PublicAlertForm(request.POST or None)
    persons = forms.PersonFormSet(request.POST or None, prefix="person")
    context: dict[str, Any] = {"form": form, "persons": persons}
    if request.method != "POST":
        return public_intake.with_device(request, render(request, "alerts/report.html", context))
    if not public_intake.accountable(request.user) and not public_intake.intake_allowed(
        address=_client(request), device=public_intake.device_of(request)
    ):
        return _throttled(request, "alerts/report.html", context)
    if form.is_valid() and persons.is_valid():
        try:
            _status, answer = public_intake.public_submit(
                user=request.user,
                raw={
                    **form.raw_submission(forms.persons_from(persons)),
                    public_intake.HONEYPOT: form.cleaned_data[public_intake.HONEYPOT],
                },
                channel=Channel.PUBLIC_WEB,
                idempotency_key=form.cleaned_data["idempotency_key"],
                payload={key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"},
            )
        except public_intake.HoneypotFilled:
            # Answer like a success, so the bot learns nothing; nothing was kept.
            return render(request, "alerts/report_sent.html", {"answer": {"tracking_code": new_tracking_code()}})
        except AlertInputError as exc:
            for name, items in exc.errors.items():
                for _code, message in items:
                    form.add_error(name if name in form.fields else None, message)
        else:
            return render(request, "alerts/report_sent.html", {"answer": answer})
    return render(request, "alerts/report.html", context, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The code travels in a POST body (not the URL), so it stays out of logs and history."""
    context: dict[str, Any] = {"statuses": PublicStatus}
    if request.method == "POST":
        if not public_intake.tracking_allowed(address=_client(request)):
            return _throttled(request, "alerts/track.html", context)
        code = request.POST.get("code", "")[:40]
        context["code"] = code
        alert = alert_by_tracking_code(code)
        if alert is None:
            context["not_found"] = True
            return render(request, "alerts/track.html", context, status=404)
        status, changed_at = public_status_of(alert)
        context.update({"status": PublicStatus(status), "updated_at": changed_at})
    return render(request, "alerts/track.html", context)


SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "js" / "alerts" / "sw.js"


@lru_cache(maxsize=1)
def _service_worker_source() -> str:
    return SERVICE_WORKER.read_text(encoding="utf-8")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /report/ so that it controls the public pages (scope /report/ and below)."""
    response = HttpResponse(_service_worker_source(), content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/report/"
    return response


def _webhook_error(code: str, message: str, status: int, field: str = "non_field_errors") -> JsonResponse:
    return JsonResponse({"errors": {field: [{"code": code, "message": message}]}}, status=status)


@csrf_exempt
@require_POST
def rapidpro_webhook(request: HttpRequest, channel: str) -> HttpResponse:
    """RapidPro "Call webhook": ``Authorization: Token <channel secret>``; the run UUID makes retries safe."""
    header = request.headers.get("Authorization", "")
    secret = header[6:].strip() if header.startswith("Token ") else request.headers.get("X-Ruta-Secret", "")
    source = rapidpro.channel_authenticate(channel, secret)
    if source is None:
        logger.warning("rapidpro webhook: refused credentials for channel %r", channel[:40])
        return _webhook_error("not_authenticated", _("Unknown channel or wrong secret."), 401)
    if not throttle.allowed(scope="webhook", ident=source.code, rate=public_intake.rate("webhook")):
        return _webhook_error("throttled", _("Too many requests; retry later."), 429)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        logger.warning("rapidpro webhook %s: body is not JSON", source.code)
        return _webhook_error("malformed", _("The body is not valid JSON."), 400)
    try:
        raw, key = rapidpro.map_flow_results(payload)
        status, answer = public_intake.public_submit(
            user=None,  # the channel's secret identifies a source, not a person
            raw=raw,
            channel=Channel.SMS,
            idempotency_key=f"rapidpro:{source.code}:{key}" if key else None,
            payload=raw,
        )
    except AlertInputError as exc:
        # Log which fields failed, never the content (it is about people).
        logger.warning("rapidpro webhook %s: invalid payload (%s)", source.code, ", ".join(sorted(exc.errors)))
        return JsonResponse(
            {"errors": {n: [{"code": c, "message": m} for c, m in items] for n, items in exc.errors.items()}},
            status=400,
        )
    return JsonResponse(answer, status=status)
