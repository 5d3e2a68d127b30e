"""Who reaches which inspection record, per scope (see ``ruta.policy.access``).

- visits: ``own`` the assigned inspector (or who created it), ``team`` the visit's team,
  ``institution`` the inspectorate that owns it, ``territory`` its department or municipality;
- worker interviews and infractions follow their visit;
- establishments: ``own`` those the user visits or created, ``institution`` the whole registry (an
  inspectorate plans over every workplace), ``territory`` the department or municipality."""

from __future__ import annotations

from django.db.models import Q

from ruta.accounts.models import User
from ruta.inspections.models import Establishment, Infraction, Visit, VisitMember, WorkerInterview
from ruta.policy import access


def _team_visits(user: User) -> Q:
    return Q(pk__in=VisitMember.objects.filter(user=user).values("visit_id"))


def _own_visits(user: User) -> Q:
    return Q(inspector=user) | Q(created_by=user)


def _territory(departments: set[int], municipalities: set[int]) -> Q:
    return Q(department_id__in=departments) | Q(municipality_id__in=municipalities)


access.register(
    Visit,
    access.ScopeRules(
        own=_own_visits,
        team=lambda user: _own_visits(user) | _team_visits(user),
        institution=lambda ids: Q(institution_id__in=ids),
        territory=_territory,
    ),
)


def _through_visit() -> access.ScopeRules:
    """The same reach as the visit, for a record with a ``visit`` foreign key."""

    def visits(condition: Q) -> Q:
        return Q(visit_id__in=Visit.objects.filter(condition).values("pk"))

    return access.ScopeRules(
        own=lambda user: visits(_own_visits(user)),
        team=lambda user: visits(_own_visits(user) | _team_visits(user)),
        institution=lambda ids: visits(Q(institution_id__in=ids)),
        territory=lambda departments, municipalities: visits(_territory(departments, municipalities)),
    )


access.register(WorkerInterview, _through_visit())
access.register(Infraction, _through_visit())

access.register(
    Establishment,
    access.ScopeRules(
        own=lambda user: (
            Q(created_by=user)
            | Q(pk__in=Visit.objects.filter(_own_visits(user) | _team_visits(user)).values("establishment_id"))
        ),
        institution=lambda ids: Q(pk__isnull=False),
        territory=_territory,
    ),
)
