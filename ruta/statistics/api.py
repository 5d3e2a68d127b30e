"""The statistics API (DESIGN §7): the indicators, and one indicator's cells for a period.

``GET /api/v1/stats/indicators/`` and ``GET /api/v1/stats/indicators/<code>/?from=&to=&by=&<dim>=``.
Callers without the national statistics permission get small cells suppressed (``tables``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.core.errors import error_body
from ruta.core.indicators import indicator, indicators
from ruta.policy.access import has_perm
from ruta.policy.permissions import PlatformPermission
from ruta.statistics.reach import reach_of
from ruta.statistics.tables import Cell, TableError, indicator_table, offered

RESERVED = {"from", "to", "by", "format"}


class StatsReader(BasePermission):
    """Signed in and holding ``stats.view`` in any scope; otherwise 404 (forbidden looks missing)."""

    required_permissions = (PlatformPermission.STATS_VIEW,)

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not has_perm(request.user, PlatformPermission.STATS_VIEW):
            raise exceptions.NotFound()
        return True


CELL_FIELDS: tuple[str, dict[str, Any]] = (
    "StatsCell",
    {
        "dimensions": serializers.DictField(child=serializers.CharField(allow_null=True)),
        "value": serializers.FloatField(allow_null=True, help_text="A count (integer) or, for a measure, its value."),
        "suppressed": serializers.BooleanField(),
    },
)
INDICATOR_FIELDS: tuple[str, dict[str, Any]] = (
    "StatsIndicator",
    {
        "code": serializers.CharField(),
        "label": serializers.CharField(),
        "definition": serializers.CharField(),
        "unit": serializers.CharField(help_text="Empty for a count of records."),
        "dimensions": serializers.DictField(child=serializers.CharField(), help_text="code → label; plus month."),
    },
)
ERROR = OpenApiResponse(
    description='{"errors": {field: [{"code", "message"}]}} naming the unknown indicator or dimension'
)


def _bad(field: str, code: str, message: str) -> Response:
    return Response(error_body(field, code, message), status=400)


def _date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise TableError(name, "invalid_date", gettext("use the form YYYY-MM-DD")) from None


class IndicatorList(APIView):
    permission_classes = [StatsReader]

    @extend_schema(
        operation_id="stats_indicators_list",
        summary="Statistics indicators",
        description="Every indicator the caller may read, with its definition in words and its dimensions.",
        responses={
            200: inline_serializer("StatsIndicators", {"indicators": inline_serializer(*INDICATOR_FIELDS, many=True)})
        },
    )
    def get(self, request: Request) -> Response:
        reach = reach_of(request.user)
        return Response(
            {
                "indicators": [
                    {
                        "code": item.code,
                        "label": str(item.label),
                        "definition": str(item.definition),
                        "unit": str(item.unit),
                        "dimensions": {
                            "month": "month",
                            **{code: str(label) for code, label in item.dimensions.items()},
                        },
                    }
                    for item in offered(indicators(), reach)
                ]
            }
        )


class IndicatorCells(APIView):
    permission_classes = [StatsReader]

    @extend_schema(
        operation_id="stats_indicator_cells",
        summary="One indicator's figures",
        description=(
            "The indicator's cells for a period (at most ten years), cut by the dimensions in `by` and filtered "
            "by `<dimension>=<value>`. Callers without the national statistics permission, and every "
            "municipality-level cut, get cells under k (11 by default) and the cells that would reveal them "
            "suppressed (`value: null, suppressed: true`); their periods are widened to whole months."
        ),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description="First day, YYYY-MM-DD."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description="Last day, YYYY-MM-DD."),
            OpenApiParameter("by", str, description="Comma-separated dimensions, e.g. `department,month`."),
            OpenApiParameter(
                "<dimension>", str, description="Any dimension of the indicator as a filter, e.g. `department=08`."
            ),
        ],
        responses={
            200: inline_serializer(
                "StatsIndicatorCells",
                {
                    "indicator": serializers.CharField(),
                    "definition": serializers.CharField(),
                    "cells": inline_serializer(*CELL_FIELDS, many=True),
                    "total": inline_serializer(
                        "StatsTotal",
                        {"value": serializers.FloatField(allow_null=True), "suppressed": serializers.BooleanField()},
                    ),
                },
            ),
            400: ERROR,
            404: None,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        reach = reach_of(request.user)
        try:
            chosen = indicator(code)
        except KeyError:
            return _bad("indicator", "unknown_indicator", gettext("unknown indicator: %(code)s") % {"code": code})
        if chosen not in offered([chosen], reach):
            return _bad("indicator", "not_available", gettext("%(code)s is not available to you") % {"code": code})
        by = [part.strip() for part in request.query_params.get("by", "").split(",") if part.strip()]
        where = {name: str(value) for name, value in request.query_params.items() if name not in RESERVED}
        try:
            table = indicator_table(
                chosen, reach=reach, since=_date(request, "from"), until=_date(request, "to"), by=by, where=where
            )
        except TableError as error:
            return _bad(error.field, error.code, error.message)
        return Response(
            {
                "indicator": chosen.code,
                "definition": str(chosen.definition),
                "cells": [_cell(cell) for cell in table.cells],
                "total": {"value": _number(table.total.value), "suppressed": table.total.suppressed},
            }
        )


def _number(value: float | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _cell(cell: Cell) -> dict[str, Any]:
    dimensions = {name: None if value is None else str(value) for name, value in cell.dimensions.items()}
    return {"dimensions": dimensions, "value": _number(cell.value), "suppressed": cell.suppressed}


urlpatterns: list[URLPattern] = [
    path("stats/indicators/", IndicatorList.as_view(), name="stats-indicators"),
    path("stats/indicators/<str:code>/", IndicatorCells.as_view(), name="stats-indicator"),
]
