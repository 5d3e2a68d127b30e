"""REST endpoints for screening: run the formal screening (same input and output as
``manage.py screen``) and read the indicator catalogue with sources and verification status."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.api.permissions import requires
from ruta.screening import engine
from ruta.screening.errors import IndicatorCodeError, InvalidInputError, ListNotLoadedError, ScreeningError
from ruta.screening.permissions import ScreeningPermission
from ruta.screening.rules import DEFAULT_DIMENSIONS
from ruta.screening.selectors import active_rule_table, catalogue_lists, dimensions
from ruta.screening.services import screening_run

DIMENSION_CODES = list(DEFAULT_DIMENSIONS)


class ScreeningInputSerializer(serializers.Serializer[Any]):
    """Documentation of the body; validation is ``engine.parse_input`` (shared with the command)."""

    age = serializers.IntegerField(
        min_value=0,
        max_value=engine.MAX_AGE,
        allow_null=True,
        required=False,
        help_text="Age in years; null = unknown.",
    )
    presumed_child = serializers.BooleanField(
        allow_null=True,
        required=False,
        help_text="Used when the age is unknown. Omitted or null with an unknown age: presumed a child.",
    )
    exploitation = serializers.ChoiceField(choices=list(engine.EXPLOITATION_TYPES))
    indicators = serializers.ListField(
        child=serializers.CharField(), help_text="Indicator codes of the list that applies."
    )
    cse_child = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Commercial sexual exploitation of a child recorded by the screener; only for a child.",
    )


class ScreeningResultSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=list(engine.OUTCOMES))
    child_rule = serializers.BooleanField()
    dimensions = inline_serializer(
        "ScreeningDimensions", {code: serializers.BooleanField() for code in DIMENSION_CODES}
    )
    rationale = serializers.ListField(child=serializers.CharField())
    list = serializers.CharField(help_text="The indicator list used (after any fallback).")
    cse_child = serializers.BooleanField(help_text="Whether commercial sexual exploitation of a child was recorded.")


class ErrorItemSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    errors = serializers.DictField(child=serializers.ListField(child=ErrorItemSerializer()))  # type: ignore[assignment]


class IndicatorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    dimension = serializers.CharField(allow_null=True, source="dimension.code", default=None)
    mapped_dimensions = serializers.ListField(child=serializers.CharField())
    related_codes = serializers.ListField(child=serializers.CharField())
    strength = serializers.CharField(allow_blank=True)
    label = serializers.CharField()  # type: ignore[assignment]
    labels = serializers.DictField(child=serializers.CharField())
    label_status = serializers.DictField(child=serializers.CharField())
    source = serializers.CharField()  # type: ignore[assignment]
    verified = serializers.BooleanField()
    note = serializers.CharField()


class IndicatorListSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    kind = serializers.CharField()
    age_group = serializers.CharField(allow_blank=True)
    exploitation = serializers.CharField(allow_blank=True)
    label = serializers.CharField()  # type: ignore[assignment]
    labels = serializers.DictField(child=serializers.CharField())
    source = serializers.CharField()  # type: ignore[assignment]
    verification = serializers.CharField()
    verification_note = serializers.CharField()
    origin = serializers.CharField()
    version = serializers.IntegerField()
    loaded = serializers.SerializerMethodField()
    indicators = IndicatorSerializer(source="rows", many=True)

    def get_loaded(self, obj: Any) -> bool:
        return bool(obj.rows)


class DimensionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    labels = serializers.DictField(child=serializers.CharField())
    label_status = serializers.DictField(child=serializers.CharField())
    source = serializers.CharField()  # type: ignore[assignment]


class RuleTableSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    verification = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    rules = serializers.JSONField()


class CatalogueSerializer(serializers.Serializer[Any]):
    lists = IndicatorListSerializer(many=True)
    dimensions = DimensionSerializer(many=True)
    rules = RuleTableSerializer(allow_null=True)


def _errors(errors: dict[str, list[tuple[str, str]]]) -> Response:
    body = {field: [{"code": code, "message": message} for code, message in items] for field, items in errors.items()}
    return Response({"errors": body}, status=400)


class ScreeningRun(APIView):
    """Screen one person without saving anything (same input and output as ``manage.py screen``)."""

    permission_classes = [requires(ScreeningPermission.RUN)]

    @extend_schema(
        request=ScreeningInputSerializer,
        responses={
            200: ScreeningResultSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="Bad input; codes: invalid, required, parse_error, unknown_indicator, wrong_list, "
                "list_not_loaded.",
            ),
        },
        examples=[
            OpenApiExample(
                "Child, labour exploitation",
                request_only=True,
                value={
                    "age": 15,
                    "presumed_child": False,
                    "exploitation": "labour",
                    "indicators": ["THB-CL-DR-01", "THB-CL-DR-10", "THB-CL-EX-01", "THB-CL-EX-02"],
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        try:
            data = engine.parse_input(request.data)
            result = screening_run(data=data)
        except InvalidInputError as exc:
            return _errors(exc.errors)
        except IndicatorCodeError as exc:
            return _errors({"indicators": [(exc.code, str(exc))]})
        except ListNotLoadedError as exc:
            return _errors({"exploitation": [(exc.code, str(exc))]})
        except ScreeningError as exc:
            return _errors({"non_field_errors": [("invalid", str(exc))]})
        return Response(result.as_output())


class ScreeningCatalogue(APIView):
    """The indicator catalogue: lists (with active rows), dimensions and the rule table, each with its
    source and verification status."""

    permission_classes = [requires(ScreeningPermission.RUN, ScreeningPermission.CATALOGUE_MANAGE)]

    @extend_schema(responses=CatalogueSerializer)
    def get(self, request: Request) -> Response:
        table = active_rule_table()
        payload = {"lists": list(catalogue_lists()), "dimensions": dimensions(), "rules": table}
        return Response(CatalogueSerializer(payload).data)


urlpatterns: list[URLPattern | URLResolver] = [
    path("screening/", ScreeningRun.as_view(), name="screening-run"),
    path("screening/catalogue/", ScreeningCatalogue.as_view(), name="screening-catalogue"),
]
