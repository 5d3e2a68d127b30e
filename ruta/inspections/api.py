"""REST endpoints of labour inspection, served under /api/v1/inspections/ (``mount_api``):

- ``POST sync/``: the offline form's outbox (DESIGN §7, ``ruta.inspections.sync``);
- ``GET visits/``: the caller's assigned visits not yet completed; ``GET visits/<uuid>/``: one visit
  with its protocol, interviews, infractions and the catalogues the form needs;
- ``POST visits/<uuid>/evidence/``: an evidence file (multipart), encrypted at rest.

Errors: ``{"errors": {field: [{"code", "message"}]}}``; forbidden and missing are both 404."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.core.errors import NON_FIELD, error_body
from ruta.core.http import acting_user
from ruta.inspections import sync
from ruta.inspections.evidence import evidence_add, evidence_check
from ruta.inspections.models import Visit, WorkerInterview
from ruta.inspections.payloads import visit_payload, visit_summary
from ruta.inspections.permissions import InspectionPermission
from ruta.inspections.selectors import assigned_open_visits, visit_for
from ruta.policy import access

ERRORS = {
    400: OpenApiResponse(description='{"errors": {field: [{"code", "message"}]}}'),
    404: OpenApiResponse(description="Missing, or not yours to see"),
}


def _require(request: Request, *permissions: str) -> None:
    if not any(access.has_perm(request.user, permission) for permission in permissions):  # type: ignore[arg-type]
        raise exceptions.NotFound()


def _error(field: str, code: str, message: str, http_status: int) -> Response:
    return Response(error_body(field, code, message), status=http_status)


RECORD_DATA = {
    "visit": (
        '{"establishment": int, "inspection_type": "programmed|complaint|follow_up|joint_operation", '
        '"started_at": ISO datetime|null, "steps": {"<step code>": {"done": bool, "note": str}}, '
        '"observations": str, "immediate_danger": bool, "danger_note": str, "status": "in_progress|completed", '
        '"closed_at": ISO datetime|null}'
    ),
    "interview": (
        '{"visit": "<visit uuid>", "held_in_private": bool, "age": int|null, "age_group": "child|adult|unknown", '
        '"sex": "female|male|other|unknown", "nationality": "HN" or "", "job": str, "consent_to_identify": bool, '
        '"given_names": str, "family_names": str (only with consent; encrypted), '
        '"forced_labour_indicators": ["FL01", ...], "ilo_ec_indicators": ["THB-AL-..."], '
        '"exploitation": "labour|sexual", "hazardous_work": bool, "immediate_danger": bool, "notes": str}'
    ),
    "infraction": (
        '{"visit": "<visit uuid>", "legal_basis": "<legal-basis code>", "description": str, "remedy": str, '
        '"remedy_due": "YYYY-MM-DD"|null}'
    ),
}
SYNC_DESCRIPTION = (
    "The offline visit form's outbox (DESIGN §7). Each record is saved whole or not at all, once per "
    "idempotency key; `base_version` is null for a create and the version edited for an update. "
    "`data` per kind:\n\n" + "\n\n".join(f"- `{kind}`: `{shape}`" for kind, shape in RECORD_DATA.items())
)
SYNC_RECORD_NAME = "InspectionSyncRecord"
SYNC_RECORD_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "kind": serializers.ChoiceField(choices=list(sync.KINDS)),
    "id": serializers.UUIDField(),
    "base_version": serializers.IntegerField(allow_null=True),
    "idempotency_key": serializers.CharField(max_length=128),
    "data": serializers.DictField(),
}
SYNC_RESULT_NAME = "InspectionSyncResult"
SYNC_RESULT_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "id": serializers.CharField(),
    "status": serializers.ChoiceField(choices=["created", "updated", "unchanged", "conflict", "invalid"]),
    "version": serializers.IntegerField(),
    "errors": serializers.DictField(required=False),
    "server": serializers.DictField(required=False, help_text='{"version", "data"} when conflict'),
}


class SyncView(APIView):
    @extend_schema(
        summary="Sync the offline visit form's records",
        description=SYNC_DESCRIPTION,
        request=inline_serializer(
            "InspectionSyncRequest", {"records": inline_serializer(SYNC_RECORD_NAME, SYNC_RECORD_FIELDS, many=True)}
        ),
        responses={
            200: inline_serializer(
                "InspectionSyncResponse",
                {"results": inline_serializer(SYNC_RESULT_NAME, SYNC_RESULT_FIELDS, many=True)},
            ),
            413: OpenApiResponse(description="Body or record count over the limit"),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        _require(request, InspectionPermission.RECORD)
        try:
            raw = request._request.body
        except RequestDataTooBig:
            raw = None
        if raw is None or len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return _error(NON_FIELD, "too_large", _("The batch is too large; send fewer records at a time."), 413)
        try:
            items = sync.records_of(json.loads(raw or b"null"))
        except (ValueError, sync.EnvelopeError) as error:
            message = str(error) if isinstance(error, sync.EnvelopeError) else _("The body is not valid JSON.")
            return _error(NON_FIELD, "invalid_envelope", message, 400)
        if len(items) > sync.MAX_RECORDS:
            return _error(
                "records",
                "too_many",
                _("At most %(limit)d records per batch.") % {"limit": sync.MAX_RECORDS},
                413,
            )
        return Response({"results": sync.sync_batch(actor=acting_user(request), items=items)})


class VisitList(APIView):
    @extend_schema(
        summary="My visits to do (assigned, not completed)",
        responses={200: inline_serializer("InspectionVisitSummary", {"id": serializers.UUIDField()}, many=True)},
    )
    def get(self, request: Request) -> Response:
        _require(request, InspectionPermission.RECORD)
        visits = assigned_open_visits(acting_user(request)).order_by("planned_for", "pk")
        return Response([visit_summary(visit) for visit in visits])


class VisitDetail(APIView):
    @extend_schema(
        summary="One visit for the form: protocol, interviews, infractions, catalogues",
        responses={200: inline_serializer("InspectionVisit", {"id": serializers.UUIDField()}), **ERRORS},
    )
    def get(self, request: Request, visit_uuid: str) -> Response:
        _require(request, InspectionPermission.VIEW)
        user = acting_user(request)
        return Response(visit_payload(user, visit_for(user, visit_uuid)))


class EvidenceUpload(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Add an evidence file (photo or PDF) to a visit",
        request={
            "multipart/form-data": inline_serializer(
                "InspectionEvidence",
                {
                    "file": serializers.FileField(),
                    "interview": serializers.UUIDField(required=False),
                    "idempotency_key": serializers.CharField(required=False),
                },
            )
        },
        responses={
            201: inline_serializer(
                "InspectionEvidenceStored",
                {"id": serializers.UUIDField(), "type": serializers.CharField(), "size": serializers.IntegerField()},
            ),
            413: OpenApiResponse(description="File over the size limit"),
            **ERRORS,
        },
    )
    def post(self, request: Request, visit_uuid: str) -> Response:
        _require(request, InspectionPermission.RECORD)
        user = acting_user(request)
        visit = access.get_visible_or_404(user, InspectionPermission.RECORD, Visit.objects.all(), uuid=visit_uuid)
        upload = request.FILES.get("file")
        if upload is None:
            return _error("file", "required", _("Attach the file."), 400)
        try:
            file_type = evidence_check(upload)
        except ValidationError as error:
            code = error.code or "invalid"
            http_status = 413 if code == "file_too_large" else 400
            return _error("file", code, " ".join(error.messages), http_status)
        interview = None
        if request.data.get("interview"):
            try:
                interview = WorkerInterview.objects.filter(visit=visit, uuid=request.data["interview"]).first()
            except ValidationError:
                interview = None
            if interview is None:
                return _error("interview", "unknown_interview", _("Unknown interview of this visit."), 400)
        key = str(request.data.get("idempotency_key") or "")[:128]
        try:
            http_status, body = evidence_add(
                actor=user, visit=visit, upload=upload, file_type=file_type, interview=interview, key=key
            )
        except PermissionDenied:
            raise exceptions.NotFound() from None
        return Response(body, status=http_status)


urlpatterns = [
    path("inspections/sync/", SyncView.as_view(), name="inspection-sync"),
    path("inspections/visits/", VisitList.as_view(), name="inspection-visits"),
    path("inspections/visits/<str:visit_uuid>/", VisitDetail.as_view(), name="inspection-visit-detail"),
    path("inspections/visits/<str:visit_uuid>/evidence/", EvidenceUpload.as_view(), name="inspection-evidence"),
]
