"""Read-only REST endpoints for instruments, served under /api/v1/instruments/ (``mount_api``):

- ``GET instruments/``: the instruments the caller may see, each with its versions;
- ``GET instruments/<id>/``: one instrument with its versions (question and choice counts, and
  the links to download the XLSForm and the XForm for ODK Collect / KoBoCollect).

Forbidden and missing are both 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.core.http import acting_user
from ruta.instruments import selectors
from ruta.instruments.models import Instrument, InstrumentVersion
from ruta.policy import access


class VersionSerializer(serializers.Serializer[Any]):  # many=True takes lists
    id = serializers.IntegerField()
    version = serializers.CharField()
    title = serializers.CharField()
    questions = serializers.IntegerField(source="question_count")
    choices = serializers.IntegerField(source="choice_count")
    languages = serializers.ListField(child=serializers.CharField())
    imported_at = serializers.DateTimeField()
    xlsform_url = serializers.SerializerMethodField()
    xform_url = serializers.SerializerMethodField()

    def get_xlsform_url(self, version: InstrumentVersion) -> str:
        return reverse("instruments:export_xlsform", args=[version.pk])

    def get_xform_url(self, version: InstrumentVersion) -> str:
        return reverse("instruments:export_xform", args=[version.pk])


class InstrumentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    form_id = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    versions = serializers.SerializerMethodField()

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, instrument: Instrument) -> list[dict[str, Any]]:
        versions = sorted(instrument.versions.all(), key=lambda version: version.imported_at, reverse=True)
        return list(VersionSerializer(versions, many=True).data)


def _versions() -> Prefetch[str]:
    return Prefetch("versions", queryset=InstrumentVersion.objects.defer(*selectors.VERSION_PAYLOAD))


def _require(request: Request) -> None:
    if not any(access.has_perm(request.user, permission) for permission in selectors.READ_INSTRUMENT):
        raise exceptions.NotFound()


class InstrumentList(APIView):
    @extend_schema(
        summary="Data-collection instruments (XLSForms) and their versions",
        responses={200: InstrumentSerializer(many=True), 404: OpenApiResponse(description="No access")},
    )
    def get(self, request: Request) -> Response:
        _require(request)
        instruments = selectors.instruments_visible(acting_user(request)).prefetch_related(_versions())
        return Response(InstrumentSerializer(instruments, many=True).data)


class InstrumentDetail(APIView):
    @extend_schema(
        summary="One instrument and its versions",
        responses={200: InstrumentSerializer, 404: OpenApiResponse(description="Missing, or not yours to see")},
    )
    def get(self, request: Request, pk: int) -> Response:
        _require(request)
        instrument = selectors.instrument_for(acting_user(request), pk)
        prefetch_related_objects([instrument], _versions())
        return Response(InstrumentSerializer(instrument).data)


urlpatterns = [
    path("instruments/", InstrumentList.as_view(), name="instrument-list"),
    path("instruments/<int:pk>/", InstrumentDetail.as_view(), name="instrument-detail"),
]
