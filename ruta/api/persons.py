"""REST endpoints for persons: the same rules as the pages (404 outside scope, identity only for
those who may see it, every read audited)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.accounts.roles import Permission
from ruta.api.permissions import requires
from ruta.persons import selectors
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


class PersonDetail(APIView):
    permission_classes = [requires(Permission.CASE_VIEW)]

    def get(self, request: Request, reference: str) -> Response:
        person = selectors.person_get(request.user, reference)
        if person.merged_into_id is not None:
            assert person.merged_into is not None
            return Response({"reference": person.reference, "merged_into": person.merged_into.reference})
        view = selectors.person_view(actor=request.user, person=person, request=request, purpose="api read")
        return Response(person_payload(view))


class PersonDuplicates(APIView):
    """Suggested duplicates among the persons the caller may search; names only where allowed."""

    permission_classes = [requires(Permission.CASE_VIEW)]

    def get(self, request: Request, reference: str) -> Response:
        person = selectors.person_get(request.user, reference)
        if person.merged_into_id is not None:
            return Response({"reference": person.reference, "candidates": []})
        candidates = selectors.person_duplicates(actor=request.user, person=person)
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
