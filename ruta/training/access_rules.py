"""Who reaches which session, enrolment and certificate, per scope (see ``ruta.policy.access``).

- ``own``: the sessions the user gives as a trainer (and their enrolments and certificates);
- ``institution``: sessions organised by the institution, and enrolments of its people;
- ``territory``: sessions held in the department (a coordinator without a territory reaches all)."""

from __future__ import annotations

from django.db.models import Q

from ruta.accounts.models import User
from ruta.geo.models import Municipality
from ruta.policy import access
from ruta.training.models import Certificate, Course, Enrolment, TrainingSession

Trainers = TrainingSession.trainers.through


def _given_by(user: User) -> Q:
    return Q(pk__in=Trainers.objects.filter(user=user).values("trainingsession_id"))


def _sessions_in(departments: set[int], municipalities: set[int]) -> Q:
    in_municipalities = Municipality.objects.filter(pk__in=municipalities).values("department_id")
    return Q(department_id__in=departments) | Q(department_id__in=in_municipalities)


def _sessions(condition: Q) -> Q:
    return Q(session_id__in=TrainingSession.objects.filter(condition).values("pk"))


access.register(
    Course,
    access.ScopeRules(institution=lambda ids: Q(institution_id__in=ids)),
)

access.register(
    TrainingSession,
    access.ScopeRules(
        own=_given_by,
        institution=lambda ids: Q(institution_id__in=ids),
        territory=_sessions_in,
    ),
)

access.register(
    Enrolment,
    access.ScopeRules(
        own=lambda user: _sessions(_given_by(user)),
        institution=lambda ids: Q(institution_id__in=ids) | _sessions(Q(institution_id__in=ids)),
        territory=lambda departments, municipalities: _sessions(_sessions_in(departments, municipalities)),
    ),
)


def _enrolments(condition: Q) -> Q:
    return Q(enrolment_id__in=Enrolment.objects.filter(condition).values("pk"))


access.register(
    Certificate,
    access.ScopeRules(
        own=lambda user: _enrolments(_sessions(_given_by(user))),
        institution=lambda ids: _enrolments(Q(institution_id__in=ids) | _sessions(Q(institution_id__in=ids))),
        territory=lambda departments, municipalities: _enrolments(_sessions(_sessions_in(departments, municipalities))),
    ),
)
