"""REST endpoints for cases.

- ``GET /api/v1/cases/`` (CASE_VIEW, scope-filtered, pseudonymous) and ``POST`` to open a case
  (CASE_CREATE; presumed victims registered through ``persons``; optional ``idempotency_key``).
- ``GET /api/v1/cases/<reference>/``: detail; identities only for PERSON_VIEW_IDENTITY holders.
- ``POST /api/v1/cases/<reference>/consents/ | needs/ | follow-ups/ | closure/``: steps (CASE_EDIT).
Every write carries the ``version`` it was based on; a stale one answers 409 ``conflict``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.api.errors import NON_FIELD, error_response
from ruta.api.pagination import PAGE_PARAMETERS, paginated_response, paginated_schema
from ruta.api.permissions import requires
from ruta.audit.services import audit_read
from ruta.cases import care, closure, protection, selectors, services
from ruta.cases.models import Case, ClosureReason, ConsentPurpose, ExploitationType, NeedArea, NeedLevel
from ruta.cases.permissions import CasePermission
from ruta.core.http import acting_user
from ruta.core.idempotency import MAX_KEY_LENGTH, run_idempotent
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution, InstitutionType
from ruta.persons.models import AgeGroup, Person, Sex
from ruta.persons.services import IdentityInput
from ruta.policy import access


class CaseSummarySerializer(serializers.ModelSerializer[Case]):
    lead_institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    municipality: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    victims = serializers.IntegerField(source="victim_count", read_only=True)

    class Meta:
        model = Case
        fields = [
            "reference",
            "opened_at",
            "stage",
            "exploitation",
            "has_child",
            "lead_institution",
            "municipality",
            "victims",
            "version",
        ]


def _error(error: services.CaseError) -> Response:
    http = status.HTTP_409_CONFLICT if isinstance(error, services.CaseConflict) else status.HTTP_400_BAD_REQUEST
    return error_response(error.field or NON_FIELD, error.code, error.message, http)


class CaseListView(APIView):
    permission_classes = [requires(CasePermission.VIEW)]

    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=paginated_schema("PaginatedCaseSummaryList", CaseSummarySerializer),
        summary="Cases you may see (pseudonymous)",
        operation_id="v1_cases_list",
    )
    def get(self, request: Request) -> Response:
        return paginated_response(request, self, selectors.case_list(acting_user(request)), CaseSummarySerializer)

    @extend_schema(
        request=inline_serializer(
            "CaseOpen",
            {
                "lead_institution": serializers.CharField(required=False),
                "municipality": serializers.CharField(),
                "exploitation": serializers.ChoiceField(choices=ExploitationType.choices),
                "narrative": serializers.CharField(required=False),
                "victims": serializers.ListField(child=serializers.DictField()),
                "idempotency_key": serializers.CharField(required=False),
            },
        ),
        responses={
            201: inline_serializer(
                "CaseOpened", {"reference": serializers.CharField(), "version": serializers.IntegerField()}
            )
        },
        summary="Open a case with its presumed victims",
    )
    def post(self, request: Request) -> Response:
        if not access.has_perm(request.user, CasePermission.CREATE):
            return error_response(NON_FIELD, "not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
        serializer = CaseOpenSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def work() -> tuple[int, dict[str, Any]]:
            case = services.case_open_direct(
                actor=acting_user(request),
                lead_institution=data["lead_institution"],
                municipality=data["municipality"],
                exploitation=data["exploitation"],
                narrative=data.get("narrative", ""),
                victims=data["victims"],
            )
            return status.HTTP_201_CREATED, {"reference": case.reference, "version": case.version}

        try:
            result = run_idempotent(
                scope=f"cases.open:{request.user.pk}", key=data.get("idempotency_key"), payload=request.data, work=work
            )
        except services.CaseError as error:
            return _error(error)
        return Response(result.body, status=result.status)


class VictimSerializer(serializers.Serializer[Any]):
    given_names = serializers.CharField(required=False, allow_blank=True, max_length=120)
    family_names = serializers.CharField(required=False, allow_blank=True, max_length=120)
    birth_date = serializers.DateField(required=False, allow_null=True)
    age_years = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices, required=False, default=AgeGroup.UNKNOWN)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    nationality = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, allow_blank=True)

    def validate_birth_date(self, value: date | None) -> date | None:
        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("A birth date cannot be in the future."), code="future")
        return value

    def validate(self, attrs: dict[str, Any]) -> services.PersonInput:  # type: ignore[override]
        age = attrs.get("age_years")
        born = attrs.get("birth_date")
        if born and age is None:
            today = timezone.localdate()
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if (
            age is not None
            and attrs["age_group"] != AgeGroup.UNKNOWN
            and (attrs["age_group"] == AgeGroup.CHILD) != (age < 18)
        ):
            raise serializers.ValidationError(
                {"age_group": _("The age group does not match the age.")}, code="mismatch"
            )
        return services.PersonInput(
            sex=attrs["sex"],
            age_years=age,
            age_group=attrs["age_group"],
            nationality=attrs.get("nationality", "").upper(),
            identity=IdentityInput(
                given_names=attrs.get("given_names", "").strip(),
                family_names=attrs.get("family_names", "").strip(),
                birth_date=born.isoformat() if born else "",
            ),
        )


class CaseOpenSerializer(serializers.Serializer[Any]):
    lead_institution = serializers.SlugRelatedField(
        slug_field="code", queryset=Institution.objects.filter(is_active=True), required=False
    )
    municipality = serializers.SlugRelatedField(slug_field="code", queryset=Municipality.objects.all())
    exploitation = serializers.ChoiceField(choices=ExploitationType.choices)
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    victims = VictimSerializer(many=True, allow_empty=False)
    idempotency_key = serializers.CharField(required=False, max_length=MAX_KEY_LENGTH)

    def validate_lead_institution(self, value: Institution) -> Institution:
        if value.pk not in access.institutions_with(self.context["user"], CasePermission.CREATE):
            raise serializers.ValidationError(_("You cannot open cases for this institution."), code="not_yours")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "lead_institution" not in attrs:
            # Default: the one institution in which the user may open cases.
            ids = access.institutions_with(self.context["user"], CasePermission.CREATE)
            if len(ids) != 1:
                raise serializers.ValidationError(
                    {"lead_institution": _("Name the lead institution.")}, code="required"
                )
            attrs["lead_institution"] = Institution.objects.get(pk=next(iter(ids)))
        return attrs


def _case_body(user: Any, case: Case, request: Any) -> dict[str, Any]:
    participants, _sees = selectors.case_participants(user, case)
    persons = []
    for participant in participants:
        person = participant.person
        entry: dict[str, Any] = {
            "reference": person.reference,
            "role": participant.link.role,
            "sex": person.sex,
            "age_years": person.age_years,
            "age_group": person.age_group,
            "is_child": person.is_child,
        }
        if participant.identity is not None:
            audit_read(actor=user, obj=person, request=request, reason=case.reference)
            entry["identity"] = {
                "given_names": participant.identity.given_names,
                "family_names": participant.identity.family_names,
                "birth_date": participant.identity.birth_date,
            }
        persons.append(entry)
    consents = services.current_consents(case)
    return {
        **CaseSummarySerializer(case).data,
        "victims": sum(1 for p in persons if p["role"] == "presumed_victim"),
        "persons": persons,
        "consents": [
            {
                "person": consent.person.reference,
                "purpose": consent.purpose,
                "referral_id": consent.referral_id,
                "granted": consent.granted,
                "in_force": services.consent_in_force(consent),
                "given_with": consent.given_with,
            }
            for consent in consents.values()
        ],
        "blockers": protection.case_proceed_blockers(case),
        "events": [
            {"at": event.at, "kind": event.kind, "summary": event.summary} for event in case.events.order_by("at", "id")
        ],
    }


class CaseDetailView(APIView):
    permission_classes = [requires(CasePermission.VIEW)]

    @extend_schema(
        responses=inline_serializer("CaseDetail", {"reference": serializers.CharField()}), summary="One case"
    )
    def get(self, request: Request, reference: str) -> Response:
        case = selectors.case_get(acting_user(request), reference)
        with transaction.atomic():
            audit_read(actor=acting_user(request), obj=case, request=request)
            body = _case_body(request.user, case, request)
        return Response(body)


class _StepView(APIView):
    """A step on a case: validate, call one service with the version, answer the new version."""

    permission_classes = [requires(CasePermission.EDIT)]
    serializer_class: type[serializers.Serializer[Any]]

    def run(self, request: Request, case: Case, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request: Request, reference: str) -> Response:
        case = selectors.case_get(acting_user(request), reference, CasePermission.EDIT)
        serializer = self.serializer_class(data=request.data, context={"case": case})
        serializer.is_valid(raise_exception=True)
        try:
            self.run(request, case, serializer.validated_data)
        except services.CaseError as error:
            return _error(error)
        case.refresh_from_db()
        return Response({"reference": case.reference, "version": case.version, "stage": case.stage}, status=201)


class ConsentSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    person = serializers.SlugRelatedField(slug_field="reference", queryset=Person.objects.all())
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    granted = serializers.BooleanField()
    referral_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    guardian = serializers.SlugRelatedField(
        slug_field="reference", queryset=Person.objects.all(), required=False, allow_null=True
    )
    authority = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Institution.objects.filter(type=InstitutionType.CHILD_PROTECTION),
        required=False,
        allow_null=True,
    )


class ConsentView(_StepView):
    serializer_class = ConsentSerializer

    @extend_schema(request=ConsentSerializer, responses={201: None}, summary="Record consent for one purpose")
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def run(self, request: Request, case: Case, data: dict[str, Any]) -> Any:
        return protection.consent_record(
            actor=acting_user(request),
            case=case,
            version=data["version"],
            person=data["person"],
            purpose=data["purpose"],
            granted=data["granted"],
            referral_id=data.get("referral_id"),
            guardian=data.get("guardian"),
            authority=data.get("authority"),
        )


class NeedSerializer(serializers.Serializer[Any]):
    area = serializers.ChoiceField(choices=NeedArea.choices)
    level = serializers.ChoiceField(choices=NeedLevel.choices, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class NeedsSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    needs = NeedSerializer(many=True, allow_empty=False)


class NeedsView(_StepView):
    serializer_class = NeedsSerializer

    @extend_schema(request=NeedsSerializer, responses={201: None}, summary="Record areas of the needs assessment")
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def run(self, request: Request, case: Case, data: dict[str, Any]) -> Any:
        entries = [care.NeedEntry(**need) for need in data["needs"]]
        return care.needs_assessment_record(
            actor=acting_user(request), case=case, version=data["version"], entries=entries
        )


class FollowUpSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    due_on = serializers.DateField()
    purpose = serializers.CharField(max_length=200)


class FollowUpView(_StepView):
    serializer_class = FollowUpSerializer

    @extend_schema(request=FollowUpSerializer, responses={201: None}, summary="Schedule a follow-up (assigned to you)")
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def run(self, request: Request, case: Case, data: dict[str, Any]) -> Any:
        return care.follow_up_schedule(
            actor=acting_user(request),
            case=case,
            version=data["version"],
            due_on=data["due_on"],
            purpose=data["purpose"],
            assigned_to=request.user,
        )


class ClosureSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    reason = serializers.SlugRelatedField(slug_field="code", queryset=ClosureReason.objects.filter(is_active=True))
    closed_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ClosureView(_StepView):
    serializer_class = ClosureSerializer

    @extend_schema(request=ClosureSerializer, responses={201: None}, summary="Request closure (a supervisor approves)")
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def run(self, request: Request, case: Case, data: dict[str, Any]) -> Any:
        return closure.case_closure_request(
            actor=acting_user(request),
            case=case,
            version=data["version"],
            reason=data["reason"],
            closed_on=data["closed_on"],
            notes=data["notes"],
        )


urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", CaseListView.as_view(), name="cases"),
    path("cases/<str:reference>/", CaseDetailView.as_view(), name="case-detail"),
    path("cases/<str:reference>/consents/", ConsentView.as_view(), name="case-consents"),
    path("cases/<str:reference>/needs/", NeedsView.as_view(), name="case-needs"),
    path("cases/<str:reference>/follow-ups/", FollowUpView.as_view(), name="case-follow-ups"),
    path("cases/<str:reference>/closure/", ClosureView.as_view(), name="case-closure"),
]
