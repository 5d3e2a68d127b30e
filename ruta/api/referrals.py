"""REST endpoints for referrals: list, detail, send (idempotent), accept, decline, complete, revoke."""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.api.errors import error_response
from ruta.api.pagination import PAGE_PARAMETERS, paginated_response, paginated_schema
from ruta.api.permissions import requires
from ruta.audit.services import audit_read
from ruta.cases.models import Case, CaseMember, CasePerson
from ruta.cases.permissions import CasePermission
from ruta.core.http import acting_user
from ruta.core.idempotency import MAX_KEY_LENGTH, run_idempotent
from ruta.institutions.models import Institution, InstitutionService
from ruta.persons.models import Person
from ruta.policy import access
from ruta.referrals import services
from ruta.referrals.consent import ConsentInput
from ruta.referrals.models import Referral, SharedSection, Urgency
from ruta.referrals.permissions import ReferralPermission
from ruta.referrals.sections import shared_content
from ruta.referrals.selectors import ReferralView, referral_for, referrals_received, referrals_sent
from ruta.referrals.steps import ReferralError

LIST_PERMISSIONS = (ReferralPermission.SEND, ReferralPermission.RECEIVE)
ERRORS = {400: OpenApiResponse(description='{"errors": {field: [{"code", "message"}]}}'), 404: None}


class ReferralSummarySerializer(serializers.Serializer[Referral]):
    reference = serializers.CharField()
    status = serializers.CharField()
    urgency = serializers.CharField()
    from_institution = serializers.CharField(source="from_institution.code")
    to_institution = serializers.CharField(source="to_institution.code")
    service = serializers.CharField(source="service.category.code")
    shared_sections = serializers.ListField(child=serializers.CharField())
    sent_at = serializers.DateTimeField(allow_null=True)
    accept_due_at = serializers.DateTimeField(allow_null=True)
    complete_due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")


def _person_payload(shared: Any, sections: list[str]) -> dict[str, Any]:
    person = shared.person
    data: dict[str, Any] = {"reference": person.reference}
    if SharedSection.BASIC in sections:
        data.update(
            sex=person.sex,
            age_group=person.age_group,
            age_years=person.age_years,
            presumed_child=person.presumed_child,
            nationality=person.nationality,
            migration_status=person.migration_status,
        )
    if shared.identity is not None:
        identity = shared.identity
        data["identity"] = {
            "given_names": identity.given_names,
            "family_names": identity.family_names,
            "birth_date": identity.birth_date,
            "id_documents": identity.id_documents,
            "phones": identity.phones,
            "addresses": identity.addresses,
        }
    if SharedSection.SCREENING in sections:
        data["screenings"] = [
            {"outcome": record.outcome, "dimensions": record.dimensions, "at": record.created_at}
            for record in shared.screenings
        ]
    return data


def referral_payload(request: Request, view: ReferralView) -> dict[str, Any]:
    referral = view.referral
    data: dict[str, Any] = dict(ReferralSummarySerializer(referral).data)
    data.update(
        persons=[link.person.reference for link in referral.referred.all()],
        reason=referral.reason,
        decline_reason=referral.decline_reason,
        outcome=referral.outcome,
        revoke_reason=referral.revoke_reason,
        consent_override={"at": referral.consent_override_at, "reason": referral.consent_override_reason}
        if referral.consent_override_at
        else None,
        escalations=[
            {"deadline": e.deadline, "due_at": e.due_at, "escalated_at": e.escalated_at}
            for e in referral.escalations.all()
        ],
    )
    if view.sender_side:
        data["case"] = referral.case.reference
    if view.receiver_side:
        content = shared_content(actor=acting_user(request), referral=referral, request=request._request)
        shared: dict[str, Any] = {"persons": [_person_payload(p, content.sections) for p in content.persons]}
        if content.shares(SharedSection.NEEDS):
            shared["needs_assessment"] = [{"area": n.area, "level": n.level, "notes": n.notes} for n in content.needs]
        if content.shares(SharedSection.PLAN):
            shared["plan"] = (
                {
                    "goals": content.plan.goals,
                    "items": [
                        {"service": i.service.code, "institution": i.institution.code} for i in content.plan_items
                    ],
                }
                if content.plan
                else None
            )
        if content.shares(SharedSection.LEGAL):
            shared["legal"] = [
                {"kind": m.kind, "occurred_on": m.occurred_on, "institution": m.institution.code, "notes": m.notes}
                for m in content.milestones
            ]
        data["shared"] = shared
    return data


class ConsentInputSerializer(serializers.Serializer[Any]):
    person = serializers.CharField(help_text="Person reference")
    granted = serializers.BooleanField()
    guardian = serializers.CharField(required=False, allow_blank=True, help_text="Guardian's person reference")
    authority = serializers.CharField(required=False, allow_blank=True, help_text="Child-protection institution code")


class ReferralCreateSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(help_text="Case reference")
    persons = serializers.ListField(child=serializers.CharField(), min_length=1, help_text="Person references")
    institution = serializers.CharField(help_text="Receiving institution code (from the directory)")
    service = serializers.CharField(help_text="Service category code")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    shared_sections = serializers.ListField(child=serializers.ChoiceField(choices=SharedSection.choices), min_length=1)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    consents = ConsentInputSerializer(many=True, required=False, default=list)
    consent_override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    draft = serializers.BooleanField(required=False, default=False)
    idempotency_key = serializers.CharField(required=False, allow_blank=True, max_length=MAX_KEY_LENGTH)


def _raise(error: ReferralError) -> None:
    raise exceptions.ValidationError({error.field: [exceptions.ErrorDetail(str(error.message), code=error.code)]})


class ReferralListCreate(APIView):
    permission_classes = [requires(*LIST_PERMISSIONS)]

    @extend_schema(
        parameters=[
            OpenApiParameter("tab", str, enum=["sent", "received"], description="Which side"),
            OpenApiParameter("status", str, description="Only referrals in this status"),
            *PAGE_PARAMETERS,
        ],
        responses=paginated_schema("PaginatedReferralSummaryList", ReferralSummarySerializer),
        operation_id="v1_referrals_list",
    )
    def get(self, request: Request) -> Response:
        tab = request.query_params.get("tab", "received")
        rows = referrals_sent(acting_user(request)) if tab == "sent" else referrals_received(acting_user(request))
        status_filter = request.query_params.get("status")
        if status_filter:
            rows = rows.filter(status=status_filter)
        return paginated_response(
            request, self, rows.order_by("-sent_at", "-created_at", "-id"), ReferralSummarySerializer
        )

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSummarySerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        if not access.has_perm(request.user, ReferralPermission.SEND):
            raise exceptions.NotFound()
        incoming = ReferralCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        case = access.get_visible_or_404(
            request.user, ReferralPermission.SEND, Case.objects.all(), reference=data["case"]
        )
        if not CaseMember.objects.filter(case=case, user_id=request.user.pk or 0, is_active=True).exists():
            raise exceptions.NotFound()
        case_persons = {
            p.reference: p
            for p in Person.objects.filter(pk__in=CasePerson.objects.filter(case=case).values("person_id"))
        }
        persons = []
        for reference in data["persons"]:
            if reference not in case_persons:
                return error_response(
                    "persons", "person_not_in_case", str(_("Only persons of this case can be referred."))
                )
            persons.append(case_persons[reference])
        service = (
            InstitutionService.objects.select_related("institution", "category")
            .filter(institution__code=data["institution"], category__code=data["service"])
            .first()
        )
        if service is None:
            return error_response(
                "service", "not_in_directory", str(_("This institution does not offer this service."))
            )
        consents = []
        for item in data["consents"]:
            if item["person"] not in case_persons:
                return error_response(
                    "consents", "person_not_in_case", str(_("Only persons of this case can be referred."))
                )
            guardian = case_persons.get(item.get("guardian") or "")
            authority = Institution.objects.filter(code=item.get("authority") or "").first()
            consents.append(
                ConsentInput(
                    person=case_persons[item["person"]], granted=item["granted"], guardian=guardian, authority=authority
                )
            )

        def work() -> tuple[int, dict[str, Any]]:
            try:
                referral = services.referral_create(
                    actor=acting_user(request),
                    case=case,
                    persons=persons,
                    service=service,
                    urgency=data["urgency"],
                    shared_sections=data["shared_sections"],
                    reason=data["reason"],
                    consents=consents,
                    consent_override_reason=data["consent_override_reason"],
                    send=not data["draft"],
                )
            except PermissionDenied:
                raise exceptions.NotFound() from None
            except ReferralError as error:
                _raise(error)
            return 201, dict(ReferralSummarySerializer(referral).data)

        result = run_idempotent(
            scope=f"referral-send:{request.user.pk}",
            key=data.get("idempotency_key") or None,
            payload={key: value for key, value in request.data.items() if key != "idempotency_key"},
            work=work,
        )
        return Response(result.body, status=result.status)


def _load(request: Request, reference: str) -> ReferralView:
    return referral_for(acting_user(request), reference)


class ReferralDetail(APIView):
    permission_classes = [requires(*LIST_PERMISSIONS, CasePermission.VIEW)]

    @extend_schema(responses={200: ReferralSummarySerializer, 404: None})
    def get(self, request: Request, reference: str) -> Response:
        view = _load(request, reference)
        audit_read(actor=acting_user(request), obj=view.referral, request=request._request)
        return Response(referral_payload(request, view))


class _Action(APIView):
    field = ""
    side = "receiver_side"

    def run(self, actor: Any, referral: Referral, text: str) -> Referral:
        raise NotImplementedError

    def post(self, request: Request, reference: str) -> Response:
        view = _load(request, reference)
        if not getattr(view, self.side):
            raise exceptions.NotFound()
        text = str(request.data.get(self.field, "")) if self.field else ""
        try:
            referral = self.run(request.user, view.referral, text)
        except PermissionDenied:
            raise exceptions.NotFound() from None
        except ReferralError as error:
            _raise(error)
        return Response(dict(ReferralSummarySerializer(referral).data), status=status.HTTP_200_OK)


@functools.cache
def _body(field: str) -> Any:
    """One component per body shape: decline and revoke both take a reason."""
    return inline_serializer(f"Referral{field.title()}Body", {field: serializers.CharField()})


def _schema(field: str) -> Any:
    return extend_schema(request=_body(field) if field else None, responses={200: ReferralSummarySerializer, **ERRORS})


class ReferralAccept(_Action):
    permission_classes = [requires(ReferralPermission.RECEIVE)]

    @_schema("")
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def run(self, actor: Any, referral: Referral, text: str) -> Referral:
        return services.referral_accept(actor=actor, referral=referral)


class ReferralDecline(_Action):
    permission_classes = [requires(ReferralPermission.RECEIVE)]
    field = "reason"

    @_schema("reason")
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def run(self, actor: Any, referral: Referral, text: str) -> Referral:
        return services.referral_decline(actor=actor, referral=referral, reason=text)


class ReferralComplete(_Action):
    permission_classes = [requires(ReferralPermission.RECEIVE)]
    field = "outcome"

    @_schema("outcome")
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def run(self, actor: Any, referral: Referral, text: str) -> Referral:
        return services.referral_complete(actor=actor, referral=referral, outcome=text)


class ReferralRevoke(_Action):
    permission_classes = [requires(ReferralPermission.SEND)]
    field = "reason"
    side = "is_sender"

    @_schema("reason")
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def run(self, actor: Any, referral: Referral, text: str) -> Referral:
        return services.referral_revoke(actor=actor, referral=referral, reason=text)


class ReferralSend(_Action):
    """Send a draft (consent recorded or overridden)."""

    permission_classes = [requires(ReferralPermission.SEND)]
    side = "is_sender"

    @_schema("")
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)

    def run(self, actor: Any, referral: Referral, text: str) -> Referral:
        return services.referral_send(actor=actor, referral=referral)


urlpatterns: list[URLPattern | URLResolver] = [
    path("referrals/", ReferralListCreate.as_view(), name="referrals"),
    path("referrals/<str:reference>/", ReferralDetail.as_view(), name="referral-detail"),
    path("referrals/<str:reference>/send/", ReferralSend.as_view(), name="referral-send"),
    path("referrals/<str:reference>/accept/", ReferralAccept.as_view(), name="referral-accept"),
    path("referrals/<str:reference>/decline/", ReferralDecline.as_view(), name="referral-decline"),
    path("referrals/<str:reference>/complete/", ReferralComplete.as_view(), name="referral-complete"),
    path("referrals/<str:reference>/revoke/", ReferralRevoke.as_view(), name="referral-revoke"),
]
