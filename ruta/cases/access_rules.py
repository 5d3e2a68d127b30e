"""Who reaches which case and which person, per scope (see ``ruta.policy.access``).

- A case is ``own`` for its owner, ``team`` for its active team members, ``institution`` for its lead
  institution and the institutions of its team, ``territory`` by the case's municipality.
- A person is reached through the cases they take part in, and directly by whoever registered them
  (own) or their registering institution (institution). Identity fields need PERSON_VIEW_IDENTITY,
  whose scope is the case team: everyone else sees the pseudonymous reference only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ruta.cases.models import Case, CaseMember, CasePerson
from ruta.persons.models import Person
from ruta.policy import access


def _team_case_ids(user: Any) -> Any:
    return CaseMember.objects.filter(user=user, is_active=True).values("case_id")


def _institution_case_ids(institution_ids: set[int]) -> Any:
    return CaseMember.objects.filter(institution_id__in=institution_ids, is_active=True).values("case_id")


access.register(
    Case,
    access.ScopeRules(
        own=lambda user: Q(owner=user),
        team=lambda user: Q(pk__in=_team_case_ids(user)),
        institution=lambda ids: Q(lead_institution_id__in=ids) | Q(pk__in=_institution_case_ids(ids)),
        territory=lambda departments, municipalities: (
            Q(municipality__department_id__in=departments) | Q(municipality_id__in=municipalities)
        ),
    ),
)

access.register(
    Person,
    access.ScopeRules(
        own=lambda user: Q(created_by=user),
        team=lambda user: Q(pk__in=CasePerson.objects.filter(case_id__in=_team_case_ids(user)).values("person_id")),
        institution=lambda ids: (
            Q(owner_institution_id__in=ids)
            | Q(
                pk__in=CasePerson.objects.filter(
                    Q(case__lead_institution_id__in=ids) | Q(case_id__in=_institution_case_ids(ids))
                ).values("person_id")
            )
        ),
        territory=lambda departments, municipalities: Q(
            pk__in=CasePerson.objects.filter(
                Q(case__municipality__department_id__in=departments) | Q(case__municipality_id__in=municipalities)
            ).values("person_id")
        ),
    ),
)
