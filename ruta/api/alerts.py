"""REST endpoints for alerts (DESIGN §6).

- ``POST /api/v1/alerts/``: anyone (throttled per client); idempotent on ``idempotency_key``.
- ``GET /api/v1/alerts/``, ``GET /api/v1/alerts/<reference>/``: ALERT_VIEW, within the user's scope.
- ``POST /api/v1/alerts/track/`` with ``{"code": ...}``: anyone; only the public status and when it last
  changed. ``GET /api/v1/alerts/track/<code>/`` answers the same for existing clients, but puts the
  code in the URL (access logs, proxies, history). Both answer ``Cache-Control: no-store``."""

from __future__ import annotations

from typing import Any, cast

from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from ruta.alerts import selectors
from ruta.alerts.intake import AlertInputError, alert_by_tracking_code, public_status_of
from ruta.alerts.models import Alert, Channel
from ruta.alerts.permissions import AlertPermission
from ruta.alerts.public_intake import (
    HoneypotFilled,
    accountable,
    device_of,
    intake_allowed,
    public_submit,
    tracking_allowed,
)
from ruta.api.permissions import requires
from ruta.audit.services import audit_read
from ruta.core.http import acting_user
from ruta.core.idempotency import MAX_KEY_LENGTH
from ruta.policy import access


class PublicThrottle(BaseThrottle):
    """Public submissions per device and per address (``ruta.alerts.public_intake``); counters hold
    keyed hashes, never the address."""

    scope = "public_alerts"
    methods: tuple[str, ...] = ("POST",)

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method not in self.methods:
            return True
        if self.scope == "public_alerts" and accountable(request.user):
            return True  # staff and integrations with their own accounts are accountable, not throttled
        ident = f"user:{request.user.pk}" if request.user.is_authenticated else str(self.get_ident(request))
        return self.counted(request, ident)

    def counted(self, request: Request, address: str) -> bool:
        return intake_allowed(address=address, device=device_of(request._request))

    def wait(self) -> float | None:
        return None


class TrackingThrottle(PublicThrottle):
    scope = "public_tracking"
    methods = ("GET", "POST")

    def counted(self, request: Request, address: str) -> bool:
        return tracking_allowed(address=address)


def _errors(exc: AlertInputError) -> Response:
    return Response(
        {
            "errors": {
                name: [{"code": code, "message": message} for code, message in items]
                for name, items in exc.errors.items()
            }
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


def _channel_for(request: Request, wanted: Any) -> str:
    """Anyone may say public_web or api; staff, inspection and hotline need the matching permission."""
    user = request.user
    if wanted in (None, ""):
        return Channel.API
    allowed = {Channel.PUBLIC_WEB.value, Channel.API.value}
    if access.has_perm(user, AlertPermission.CREATE):
        allowed |= {Channel.STAFF.value, Channel.INSPECTION.value}
    if access.has_perm(user, AlertPermission.HOTLINE_LOG):
        allowed.add(Channel.HOTLINE.value)
    if wanted not in allowed:
        raise AlertInputError({"channel": [("channel_not_allowed", _("This channel cannot be used here."))]})
    return str(wanted)


def submit_alert(request: Request, payload: Any, *, channel: str | None = None) -> tuple[int, dict[str, Any]]:
    """Shared by the API and the public form's JavaScript: validate, then create once per key."""
    if not isinstance(payload, dict):
        raise AlertInputError({"non_field_errors": [("malformed", _("The body must be a JSON object."))]})
    key = payload.get("idempotency_key")
    if key is not None and (not isinstance(key, str) or not 0 < len(key) <= MAX_KEY_LENGTH):
        raise AlertInputError(
            {"idempotency_key": [("invalid", _("The idempotency key must be text of at most 128 characters."))]}
        )
    chosen = channel or _channel_for(request, payload.get("channel"))
    try:
        return public_submit(user=request.user, raw=payload, channel=chosen, idempotency_key=key, payload=payload)
    except HoneypotFilled:  # the public form's honeypot, sent by its offline queue
        raise AlertInputError({"non_field_errors": [("rejected", _("The submission was rejected."))]}) from None


PersonShape = inline_serializer(
    "AlertPersonInput",
    {
        "age": serializers.IntegerField(allow_null=True, required=False),
        "age_group": serializers.ChoiceField(choices=["child", "adult", "unknown"], required=False),
        "sex": serializers.ChoiceField(choices=["female", "male", "intersex", "unknown"], required=False),
    },
)
SubmitShape = inline_serializer(
    "AlertSubmit",
    {
        "narrative": serializers.CharField(),
        "municipality": serializers.CharField(required=False, help_text="INE code, e.g. 0801"),
        "department": serializers.CharField(
            required=False, help_text="Department code, e.g. 08; kept when the municipality is not known"
        ),
        "signals": serializers.ListField(child=serializers.CharField(), required=False),
        "happening_now": serializers.BooleanField(required=False),
        "persons": serializers.ListField(child=PersonShape, required=False),
        "reporter_contact": serializers.CharField(required=False),
        "channel": serializers.CharField(required=False),
        "idempotency_key": serializers.CharField(required=False),
    },
)
SubmittedShape = inline_serializer(
    "AlertSubmitted",
    {
        "reference": serializers.CharField(),
        "tracking_code": serializers.CharField(),
        "priority": serializers.CharField(),
        "received_at": serializers.DateTimeField(),
    },
)


def alert_summary(alert: Alert, now: Any) -> dict[str, Any]:
    return {
        "reference": alert.reference,
        "priority": alert.priority,
        "status": alert.status,
        "channel": alert.channel,
        "received_at": alert.received_at,
        "municipality": alert.municipality.code if alert.municipality else None,
        "department": alert.department.code if alert.department else None,
        "happening_now": alert.happening_now,
        "signals": alert.signal_codes,
        "child_involved": alert.child_involved,
        "acknowledge_due_at": alert.acknowledge_due_at,
        "first_response_due_at": alert.first_response_due_at,
        "acknowledge_overdue": alert.acknowledge_overdue(now),
        "first_response_overdue": alert.first_response_overdue(now),
        "assigned_to": alert.assigned_to.username if alert.assigned_to else None,
        "assigned_institution": alert.assigned_institution.code if alert.assigned_institution else None,
    }


class AlertCollection(APIView):
    throttle_classes = [PublicThrottle]

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method == "POST":
            return [AllowAny()]
        return [requires(AlertPermission.VIEW)()]

    @extend_schema(
        parameters=[
            OpenApiParameter("priority", str, description="P1..P4"),
            OpenApiParameter("department", str, description="Department code"),
            OpenApiParameter("status", str, description="open (default), all, or a status"),
            OpenApiParameter("overdue", bool),
        ],
        responses=inline_serializer(
            "AlertSummaryPage", {"count": serializers.IntegerField(), "results": serializers.ListField()}
        ),
        operation_id="v1_alerts_list",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        filters = selectors.QueueFilters(
            priority=params.get("priority", ""),
            department=params.get("department", ""),
            status=params.get("status", "open"),
            overdue=params.get("overdue") in ("1", "true", "yes"),
        )
        rows = selectors.alert_queue(actor=acting_user(request), filters=filters)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        now = timezone.now()
        return paginator.get_paginated_response([alert_summary(alert, now) for alert in page])

    @extend_schema(request=SubmitShape, responses={201: SubmittedShape})
    def post(self, request: Request) -> Response:
        try:
            code, body = submit_alert(request, request.data)
        except AlertInputError as exc:
            return _errors(exc)
        return Response(body, status=code)


class AlertDetail(APIView):
    permission_classes = [requires(AlertPermission.VIEW)]

    @extend_schema(responses=inline_serializer("AlertDetail", {"reference": serializers.CharField()}))
    def get(self, request: Request, reference: str) -> Response:
        alert = selectors.alert_get(actor=acting_user(request), reference=reference)
        now = timezone.now()
        body = alert_summary(alert, now)
        body.update(
            {
                "persons": [{"age": p.age, "age_group": p.age_group, "sex": p.sex} for p in alert.persons.all()],
                "priority_rationale": alert.priority_rationale,
                "palermo_reading": alert.palermo_reading,
                "acknowledged_at": alert.acknowledged_at,
                "first_response_at": alert.first_response_at,
                "merged_into": alert.merged_into.reference if alert.merged_into else None,
                "referred_to": alert.referred_to.code if alert.referred_to else None,
                "case": alert.case.reference if alert.case else None,
            }
        )
        if selectors.can_read_narrative(acting_user(request), alert):
            audit_read(actor=acting_user(request), obj=alert, request=request._request, reason="alert narrative (API)")
            body["narrative"] = alert.narrative
        return Response(body)


TrackingShape = inline_serializer(
    "AlertTracking", {"status": serializers.CharField(), "updated_at": serializers.DateTimeField()}
)


class TrackingLookup(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=40, help_text="The tracking code given on reporting, e.g. ABCD-EFGH-JKMN")


class _TrackingView(APIView):
    """What a reporter may know: the public status and when it last changed. Nothing else."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [TrackingThrottle]

    def answer(self, code: str) -> Response:
        alert = alert_by_tracking_code(code)
        if alert is None:
            return Response(
                {
                    "errors": {
                        "non_field_errors": [{"code": "not_found", "message": _("No alert has this tracking code.")}]
                    }
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        public_status, changed_at = public_status_of(alert)
        return Response({"status": public_status, "updated_at": changed_at})

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        # Every answer (found, not found, refused, throttled) says whether a code exists: keep it
        # out of shared and proxy caches.
        response = cast(Response, super().finalize_response(request, response, *args, **kwargs))
        add_never_cache_headers(response)
        return response


class AlertTrackLookup(_TrackingView):
    @extend_schema(
        request=TrackingLookup,
        responses=TrackingShape,
        description="The code travels in the body, so it stays out of access logs, proxies and history.",
    )
    def post(self, request: Request) -> Response:
        lookup = TrackingLookup(data=request.data)
        lookup.is_valid(raise_exception=True)
        return self.answer(lookup.validated_data["code"])


class AlertTrack(_TrackingView):
    @extend_schema(
        responses=TrackingShape,
        deprecated=True,
        description=(
            "Kept for existing clients. The code is in the URL, so it reaches access logs, proxies and "
            'browser history: use POST /api/v1/alerts/track/ with {"code": ...} instead.'
        ),
    )
    def get(self, request: Request, code: str) -> Response:
        return self.answer(code)


urlpatterns: list[URLPattern | URLResolver] = [
    path("alerts/", AlertCollection.as_view(), name="alert-list"),
    path("alerts/track/", AlertTrackLookup.as_view(), name="alert-track-lookup"),
    path("alerts/track/<str:code>/", AlertTrack.as_view(), name="alert-track"),
    path("alerts/<str:reference>/", AlertDetail.as_view(), name="alert-detail"),
]
