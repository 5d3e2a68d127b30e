"""Who reaches which case, per scope (see ``ruta.policy.access``), and so which persons.

- A case is ``own`` for its owner, ``team`` for its active team members, ``institution`` for its lead
  institution and the institutions of its team, ``territory`` by the case's municipality.
- A person is reached through the cases they take part in, in the same scopes: cases contribute that
  reach to the persons' own rules (``ruta.persons.access_rules``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ruta.accounts.models import User
from ruta.cases.models import Case, CaseMember, CasePerson
from ruta.persons.access_rules import PersonReach, register_person_reach
from ruta.policy import access


def _team_case_ids(user: User) -> Any:
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

register_person_reach(
    PersonReach(
        team=lambda user: CasePerson.objects.filter(case_id__in=_team_case_ids(user)).values("person_id"),
        institution=lambda ids: CasePerson.objects.filter(
            Q(case__lead_institution_id__in=ids) | Q(case_id__in=_institution_case_ids(ids))
        ).values("person_id"),
        territory=lambda departments, municipalities: CasePerson.objects.filter(
            Q(case__municipality__department_id__in=departments) | Q(case__municipality_id__in=municipalities)
        ).values("person_id"),
    )
)
