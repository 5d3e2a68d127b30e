"""Who reaches which study and workshop, per scope (see ``ruta.policy.access``).

Studies are national undertakings: coordinators, analysts and administrators hold their grants
nationally. The narrower scopes serve field staff (enumerators) who sign participants in:

- ``own``: the workshops (and studies) the user created;
- ``institution``: workshops of rounds that cover one of the user's institutions;
- ``territory``: workshops held in the user's department (or the department of their municipality)."""

from __future__ import annotations

from django.db.models import Q

from ruta.baseline.models import Round, Study, Workshop
from ruta.geo.models import Municipality
from ruta.policy import access


def _rounds_covering(institution_ids: set[int]) -> Q:
    return Q(
        round_id__in=Round.institutions.through.objects.filter(institution_id__in=institution_ids).values("round_id")
    )


def _in_territory(departments: set[int], municipalities: set[int]) -> Q:
    of_municipalities = Municipality.objects.filter(pk__in=municipalities).values("department_id")
    return Q(department_id__in=departments) | Q(department_id__in=of_municipalities)


access.register(
    Workshop,
    access.ScopeRules(
        own=lambda user: Q(created_by=user),
        institution=_rounds_covering,
        territory=_in_territory,
    ),
)

access.register(
    Study,
    access.ScopeRules(
        own=lambda user: Q(created_by=user),
        institution=lambda ids: Q(
            pk__in=Round.objects.filter(
                pk__in=Round.institutions.through.objects.filter(institution_id__in=ids).values("round_id")
            ).values("study_id")
        ),
        territory=lambda departments, municipalities: Q(
            pk__in=Round.objects.filter(
                pk__in=Round.departments.through.objects.filter(
                    Q(department_id__in=departments)
                    | Q(department_id__in=Municipality.objects.filter(pk__in=municipalities).values("department_id"))
                ).values("round_id")
            ).values("study_id")
        ),
    ),
)
