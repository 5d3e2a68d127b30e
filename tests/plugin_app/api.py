"""The module's API route, served under /api/v1/ (``mount_api`` in plugin.py)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.api.permissions import requires
from tests.plugin_app.permissions import OutreachPermission
from tests.plugin_app.selectors import visits_visible


class VisitList(APIView):
    permission_classes = [requires(OutreachPermission.VIEW)]

    @extend_schema(
        responses=inline_serializer(
            "OutreachVisit",
            {"title": serializers.CharField(), "planned_for": serializers.DateTimeField()},
            many=True,
        )
    )
    def get(self, request: Request) -> Response:
        visits: Any = visits_visible(actor=request.user)
        return Response([{"title": visit.title, "planned_for": visit.planned_for} for visit in visits])


urlpatterns = [path("outreach-visits/", VisitList.as_view(), name="outreach_visits")]
