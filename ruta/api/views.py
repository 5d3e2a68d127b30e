from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.api.permissions import requires
from ruta.api.serializers import DepartmentSerializer, InstitutionSerializer, MeSerializer, MunicipalitySerializer
from ruta.core.http import acting_user
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution
from ruta.institutions.permissions import DirectoryPermission
from ruta.institutions.selectors import directory


class MeView(APIView):
    permission_classes = [requires()]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)  # type: ignore[arg-type] # authenticated by permission


class DepartmentList(generics.ListAPIView[Department]):
    """Public reference data: the alert forms need it before anyone logs in."""

    permission_classes = [permissions.AllowAny]
    serializer_class = DepartmentSerializer
    queryset = Department.objects.all()
    pagination_class = None


class MunicipalityList(generics.ListAPIView[Municipality]):
    permission_classes = [permissions.AllowAny]
    serializer_class = MunicipalitySerializer
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("department", str, description="Department code, e.g. 08")])
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        rows = Municipality.objects.select_related("department")
        department = self.request.query_params.get("department")
        return rows.filter(department__code=department) if department else rows


class InstitutionList(generics.ListAPIView[Institution]):
    """The referral directory: institutions and the services they offer, filtered by place and service."""

    permission_classes = [requires(DirectoryPermission.VIEW)]
    serializer_class = InstitutionSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("department", str, description="Department code"),
            OpenApiParameter("service", str, description="Service category code"),
            OpenApiParameter("type", str, description="Institution type"),
        ]
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        return directory(
            actor=acting_user(self.request),
            department_code=params.get("department", ""),
            service_code=params.get("service", ""),
            institution_type=params.get("type", ""),
        )
