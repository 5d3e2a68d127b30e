"""Who reaches which person, per scope (see ``ruta.policy.access``).

A person is reached directly by whoever registered them (own) and by their registering institution
(institution), and through the records they take part in: the apps that involve persons (cases)
contribute, per scope, a sub-query of the person ids their records reach (``register_person_reach``),
so persons know nothing of those apps. Identity fields need PERSON_VIEW_IDENTITY, whose scope is the
case team: everyone else sees the pseudonymous reference only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ruta.persons.models import Person
from ruta.policy import access


@dataclass(frozen=True)
class PersonReach:
    """Sub-queries of person ids (``.values("person_id")``) that one kind of record reaches."""

    team: Callable[[Any], QuerySet[Any]]
    institution: Callable[[set[int]], QuerySet[Any]]
    territory: Callable[[set[int], set[int]], QuerySet[Any]]


_REACH: list[PersonReach] = []


def register_person_reach(reach: PersonReach) -> None:
    if reach not in _REACH:
        _REACH.append(reach)


def _through(person_ids: list[QuerySet[Any]]) -> Q:
    condition = access.NOTHING
    for ids in person_ids:
        condition = Q(pk__in=ids) if condition == access.NOTHING else condition | Q(pk__in=ids)
    return condition


def _institution(ids: set[int]) -> Q:
    registered = Q(owner_institution_id__in=ids)
    through = _through([reach.institution(ids) for reach in _REACH])
    return registered if through == access.NOTHING else registered | through


access.register(
    Person,
    access.ScopeRules(
        own=lambda user: Q(created_by=user),
        team=lambda user: _through([reach.team(user) for reach in _REACH]),
        institution=_institution,
        territory=lambda departments, municipalities: _through(
            [reach.territory(departments, municipalities) for reach in _REACH]
        ),
    ),
)
