"""What members reach without log-in: the two pages a bulletin's links open (acknowledge it, stop
receiving them — both confirm with a button, a POST, so a mail scanner following the link changes
nothing) and the webhook a RapidPro flow calls when a member answers STOP."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ruta.alerts.rapidpro import channel_authenticate
from ruta.core import throttle
from ruta.core.errors import error_body
from ruta.networks.bulletins import delivery_acknowledge, delivery_from_token
from ruta.networks.links import opting_out_member
from ruta.networks.models import Member
from ruta.networks.services import member_opt_out, normalise_phone, phone_token

RATE = "60/hour"


def _limited(request: HttpRequest) -> bool:
    address = str(request.META.get("REMOTE_ADDR") or "unknown")
    return not throttle.allowed(scope="networks.links", ident=address, rate=RATE)


@never_cache
@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    if _limited(request):
        return render(request, "networks/public_link.html", {"throttled": True}, status=429)
    delivery = delivery_from_token(token)
    if delivery is None:
        return render(request, "networks/public_link.html", {"invalid": True}, status=404)
    done = request.method == "POST"
    if done:
        delivery_acknowledge(delivery=delivery)
    return render(
        request,
        "networks/public_link.html",
        {"kind": "acknowledge", "done": done, "network": delivery.bulletin.network},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    if _limited(request):
        return render(request, "networks/public_link.html", {"throttled": True}, status=429)
    member_id = opting_out_member(token)
    member = Member.objects.select_related("network").filter(pk=member_id).first() if member_id else None
    if member is None:
        return render(request, "networks/public_link.html", {"invalid": True}, status=404)
    done = request.method == "POST"
    if done:
        member_opt_out(member=member, how="signed link")
    return render(request, "networks/public_link.html", {"kind": "opt_out", "done": done, "network": member.network})


@csrf_exempt
@require_POST
def rapidpro_stop(request: HttpRequest, channel: str) -> HttpResponse:
    """A RapidPro flow triggered by the keyword STOP calls this with the contact
    (``{"contact": {"urn": "tel:+50499998888"}}``) and ``Authorization: Token <channel secret>`` (the
    same messaging channels as alert intake). Every member with that number is opted out at once.
    The answer never says whether the number was known."""
    header = request.headers.get("Authorization", "")
    source = channel_authenticate(channel, header[6:].strip() if header.startswith("Token ") else "")
    if source is None:
        return JsonResponse(
            error_body("non_field_errors", "not_authenticated", _("Unknown channel or wrong secret.")), status=401
        )
    try:
        payload = json.loads(request.body.decode("utf-8"))
        urn = str(payload["contact"]["urn"])
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return JsonResponse(error_body("contact", "malformed", _("Send the contact's URN.")), status=400)
    number = urn.partition(":")[2]
    phone = normalise_phone(number if number.startswith("+") else f"+{number}")
    for member in Member.objects.filter(phone_token=phone_token(phone), opted_out_at__isnull=True) if phone else []:
        member_opt_out(member=member, how=f"STOP through {source.code}")
    return JsonResponse({"status": "ok"})
