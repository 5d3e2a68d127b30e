"""Read-only REST endpoint of the baseline study, served under /api/v1/baseline/ (``mount_api``):

- ``GET baseline/rounds/<id>/figures/``: a round's figures as the pages and the report compute them
  (participants, institutions, share of women with its counts, per workshop; initiatives per pillar;
  the mean capacity score per dimension). Aggregates only: no names.

Forbidden and missing are both 404."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.baseline import selectors
from ruta.baseline.figures import Share, capacity_comparison, initiatives_by_pillar, round_figures, workshop_figures
from ruta.baseline.models import Initiative
from ruta.baseline.permissions import BaselinePermission
from ruta.core.http import acting_user
from ruta.policy import access


class ShareSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class WorkshopFiguresSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    participants = serializers.IntegerField()
    institutions = serializers.IntegerField()
    women = ShareSerializer()


class PillarSerializer(serializers.Serializer[Any]):
    pillar = serializers.CharField()
    count = serializers.IntegerField()


class DimensionMeanSerializer(serializers.Serializer[Any]):
    dimension = serializers.CharField()
    title = serializers.CharField()
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    institutions = serializers.IntegerField()


class RoundFiguresSerializer(serializers.Serializer[Any]):
    round = serializers.IntegerField()
    study = serializers.CharField()
    kind = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    participants = serializers.IntegerField()
    institutions = serializers.IntegerField()
    women = ShareSerializer()
    workshops = WorkshopFiguresSerializer(many=True)
    initiatives_by_pillar = PillarSerializer(many=True)
    capacity = DimensionMeanSerializer(many=True)


def _share(share: Share) -> dict[str, Any]:
    return {"count": share.count, "total": share.total, "percent": share.percent}


class RoundFigures(APIView):
    @extend_schema(
        summary="A baseline-study round in figures (aggregates only)",
        responses={200: RoundFiguresSerializer, 404: OpenApiResponse(description="Missing, or not yours to see")},
    )
    def get(self, request: Request, pk: int) -> Response:
        if not access.has_perm(request.user, BaselinePermission.VIEW):
            raise exceptions.NotFound()
        round_ = selectors.round_for(acting_user(request), pk)
        figures = round_figures(round_)
        comparison = capacity_comparison(round_.study)
        workshops = []
        for workshop in round_.workshops.all():
            numbers = workshop_figures(workshop)
            workshops.append(
                {
                    "id": workshop.pk,
                    "title": workshop.title,
                    "starts_on": workshop.starts_on,
                    "ends_on": workshop.ends_on,
                    "participants": numbers.participants,
                    "institutions": numbers.institutions,
                    "women": _share(numbers.women),
                }
            )
        data = {
            "round": round_.pk,
            "study": round_.study.title,
            "kind": round_.kind,
            "starts_on": round_.starts_on,
            "ends_on": round_.ends_on,
            "participants": figures.participants,
            "institutions": figures.institutions,
            "women": _share(figures.women),
            "workshops": workshops,
            "initiatives_by_pillar": [
                {"pillar": row.pillar, "count": row.count} for row in initiatives_by_pillar(Initiative.objects.all())
            ],
            "capacity": [
                {
                    "dimension": dimension.code,
                    "title": dimension.label,
                    "mean": comparison.means.get(dimension.pk, {}).get(round_.pk),
                    "institutions": comparison.counts.get(dimension.pk, {}).get(round_.pk, 0),
                }
                for dimension in comparison.dimensions
            ],
        }
        return Response(RoundFiguresSerializer(data).data)


urlpatterns = [
    path("baseline/rounds/<int:pk>/figures/", RoundFigures.as_view(), name="baseline-round-figures"),
]
