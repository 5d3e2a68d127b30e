"""REST endpoints for persons: the same rules as the pages (404 outside scope, identity only for
those who may see it, every read audited)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.api.permissions import requires
from ruta.core.http import acting_user
from ruta.persons import selectors
from ruta.persons.permissions import PersonPermission
from ruta.persons.selectors import PersonView


def person_payload(view: PersonView) -> dict[str, Any]:
    person = view.person
    data: dict[str, Any] = {
        "reference": person.reference,
        "sex": person.sex,
        "age_years": person.age_years,
        "age_group": person.age_group,
        "presumed_child": person.presumed_child,
        "nationality": person.nationality,
        "languages": person.languages,
        "disability": person.disability,
        "migration_status": person.migration_status,
        "version": person.version,
        "identity_visible": view.identity is not None,
    }
    if view.identity is not None:
        identity = view.identity
        data["identity"] = {
            "given_names": identity.given_names,
            "family_names": identity.family_names,
            "aliases": identity.aliases,
            "birth_date": identity.birth_date or None,
            "id_documents": identity.id_documents,
            "phones": identity.phones,
            "emails": identity.emails,
            "addresses": identity.addresses,
            "notes": identity.notes,
        }
    return data


IDENTITY = inline_serializer(
    "PersonIdentity",
    {
        "given_names": serializers.CharField(),
        "family_names": serializers.CharField(),
        "aliases": serializers.ListField(child=serializers.CharField()),
        "birth_date": serializers.CharField(allow_null=True, help_text="YYYY-MM-DD, or YYYY / YYYY-MM when partial"),
        "id_documents": serializers.ListField(child=serializers.DictField()),
        "phones": serializers.ListField(child=serializers.CharField()),
        "emails": serializers.ListField(child=serializers.CharField()),
        "addresses": serializers.ListField(child=serializers.CharField()),
        "notes": serializers.CharField(),
    },
)
PERSON = inline_serializer(
    "Person",
    {
        "reference": serializers.CharField(),
        "merged_into": serializers.CharField(required=False, help_text="Only for a merged record: where it went"),
        "sex": serializers.CharField(required=False),
        "age_years": serializers.IntegerField(allow_null=True, required=False),
        "age_group": serializers.CharField(required=False),
        "presumed_child": serializers.BooleanField(required=False),
        "nationality": serializers.CharField(required=False),
        "languages": serializers.ListField(child=serializers.CharField(), required=False),
        "disability": serializers.CharField(required=False),
        "migration_status": serializers.CharField(required=False),
        "version": serializers.IntegerField(required=False),
        "identity_visible": serializers.BooleanField(required=False),
        "identity": IDENTITY,
    },
)
DUPLICATES = inline_serializer(
    "PersonDuplicates",
    {
        "reference": serializers.CharField(),
        "candidates": serializers.ListField(
            child=inline_serializer(
                "PersonDuplicateCandidate",
                {
                    "reference": serializers.CharField(),
                    "score": serializers.FloatField(),
                    "sex": serializers.CharField(),
                    "age_group": serializers.CharField(),
                    "identity_visible": serializers.BooleanField(),
                    "given_names": serializers.CharField(required=False),
                    "family_names": serializers.CharField(required=False),
                    "birth_date": serializers.CharField(allow_null=True, required=False),
                },
            )
        ),
    },
)


class PersonDetail(APIView):
    permission_classes = [requires(PersonPermission.VIEW)]

    @extend_schema(responses=PERSON, summary="A person you may see; identity only where your role allows it")
    def get(self, request: Request, reference: str) -> Response:
        person = selectors.person_get(acting_user(request), reference)
        if person.merged_into_id is not None:
            assert person.merged_into is not None
            return Response({"reference": person.reference, "merged_into": person.merged_into.reference})
        view = selectors.person_view(actor=acting_user(request), person=person, request=request, purpose="api read")
        return Response(person_payload(view))


class PersonDuplicates(APIView):
    """Suggested duplicates among the persons the caller may search; names only where allowed."""

    permission_classes = [requires(PersonPermission.VIEW)]

    @extend_schema(responses=DUPLICATES, summary="Likely duplicates among the persons you may search")
    def get(self, request: Request, reference: str) -> Response:
        person = selectors.person_get(acting_user(request), reference)
        if person.merged_into_id is not None:
            return Response({"reference": person.reference, "candidates": []})
        candidates = selectors.person_duplicates(actor=acting_user(request), person=person)
        return Response(
            {
                "reference": person.reference,
                "candidates": [
                    {
                        "reference": candidate.person.reference,
                        "score": candidate.score,
                        "sex": candidate.person.sex,
                        "age_group": candidate.person.age_group,
                        "identity_visible": candidate.identity is not None,
                        **(
                            {
                                "given_names": candidate.identity.given_names,
                                "family_names": candidate.identity.family_names,
                                "birth_date": candidate.identity.birth_date or None,
                            }
                            if candidate.identity is not None
                            else {}
                        ),
                    }
                    for candidate in candidates
                ],
            }
        )


urlpatterns: list[URLPattern | URLResolver] = [
    path("persons/<str:reference>/", PersonDetail.as_view(), name="person-detail"),
    path("persons/<str:reference>/duplicates/", PersonDuplicates.as_view(), name="person-duplicates"),
]
