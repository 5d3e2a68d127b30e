"""Paginated lists for hand-written API views, documented as what they really answer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

MAX_LIMIT = 200
# Far past any list Ruta holds, and inside every database's integer range (a client's 10**30 is not).
MAX_OFFSET = 2**31 - 1

PAGE_PARAMETERS = [
    OpenApiParameter("limit", int, description=f"How many results per page (default 50, at most {MAX_LIMIT})."),
    OpenApiParameter("offset", int, description="Where the page starts."),
]


class Pagination(LimitOffsetPagination):
    """Limit/offset pages with a ceiling: no client can ask for the whole table in one page, nor send a
    number the database cannot hold."""

    max_limit = MAX_LIMIT

    def get_offset(self, request: Request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)


def paginated_schema(name: str, item: type[serializers.Serializer[Any]]) -> serializers.Serializer[Any]:
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )


def paginated_response(
    request: Request, view: Any, rows: QuerySet[Any], item: type[serializers.Serializer[Any]]
) -> Response:
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(item(page, many=True).data)
