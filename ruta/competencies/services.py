"""Recording needs assessments. Every change writes its audit row in the same transaction.

A self-assessment is made by the person for themselves; a supervisor or follow-up assessment by
someone whose ``competency.assess`` grant reaches the person. An assessment is kept as a draft
(partial ratings allowed) until it is submitted with every competency rated; a submitted assessment
is final — a later view of the person is a new (follow-up) assessment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import Membership, User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.competencies.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Framework,
    FrameworkStatus,
    ProficiencyLevel,
    Rating,
)
from ruta.competencies.permissions import CompetencyPermission
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.policy import access
from ruta.policy.roles import Scope


class AssessmentError(Exception):
    """A refused assessment, with a stable code, a translated message and the field it concerns."""

    def __init__(self, code: str, message: Any, field: str = "non_field_errors") -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class RatingInput:
    level: int
    note: str = ""


def assessable_persons(actor: User) -> QuerySet[User]:
    """The people ``actor`` may assess as a supervisor: those with an active membership their grant reaches."""
    found = access.grants(actor, CompetencyPermission.ASSESS)
    users = User.objects.filter(is_active=True).exclude(pk=actor.pk)
    if not found:
        return users.none()
    if any(
        grant.scope == Scope.NATIONAL
        or (grant.scope == Scope.TERRITORY and grant.department_id is None and grant.municipality_id is None)
        for grant in found
    ):
        return users.order_by("last_name", "first_name", "username")
    reach = Q(institution_id__in={grant.institution_id for grant in found})
    departments = {grant.department_id for grant in found if grant.scope == Scope.TERRITORY and grant.department_id}
    if departments:
        reach |= Q(department_id__in=departments) | Q(municipality__department_id__in=departments)
    members = Membership.objects.filter(reach, is_active=True).values("user_id")
    return users.filter(pk__in=members).order_by("last_name", "first_name", "username")


def place_of(person: User, framework: Framework) -> tuple[Institution | None, Department | None]:
    """The person's institution and department for aggregates: the membership in one of the
    framework's roles if any, else their first; the department of the membership, else of its
    municipality, else of the institution's headquarters."""
    memberships = list(
        person.memberships.filter(is_active=True)
        .select_related("institution__headquarters__department", "department", "municipality__department")
        .order_by("pk")
    )
    if not memberships:
        return None, None
    chosen = next((m for m in memberships if m.role in framework.target_roles), memberships[0])
    department = chosen.department or (chosen.municipality.department if chosen.municipality else None)
    if department is None and chosen.institution.headquarters:
        department = chosen.institution.headquarters.department
    return chosen.institution, department


def _check_may_assess(actor: User, person: User, kind: str) -> None:
    if kind not in AssessmentKind.values:
        raise AssessmentError("invalid_choice", _("Choose a valid kind of assessment."), "kind")
    if kind == AssessmentKind.SELF:
        if actor.pk != person.pk:
            raise PermissionDenied
        return
    if actor.pk == person.pk:
        raise AssessmentError("self_as_supervisor", _("You cannot give yourself a supervisor assessment."), "kind")
    if not assessable_persons(actor).filter(pk=person.pk).exists():
        raise PermissionDenied


def _validated(framework: Framework, ratings: Mapping[int, RatingInput], *, complete: bool) -> dict[int, RatingInput]:
    levels = set(ProficiencyLevel.objects.filter(framework=framework).values_list("level", flat=True))
    competency_ids = set(framework.competencies.values_list("pk", flat=True))
    if set(ratings) - competency_ids:
        raise AssessmentError("unknown_competency", _("A rating names a competency of another framework."))
    for competency_id, rating in ratings.items():
        if rating.level not in levels:
            raise AssessmentError(
                "invalid_level", _("Choose one of the levels of the scale."), f"competency_{competency_id}"
            )
    if complete and set(ratings) != competency_ids:
        raise AssessmentError("incomplete", _("Rate every competency before submitting."))
    return dict(ratings)


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    person: User,
    framework: Framework,
    kind: str,
    assessed_on: date,
    ratings: Mapping[int, RatingInput],
    round_label: str = "",
    submit: bool = True,
) -> Assessment:
    """Record an assessment of ``person`` against ``framework`` (a draft unless ``submit``)."""
    _check_may_assess(actor, person, kind)
    if framework.status == FrameworkStatus.RETIRED:
        raise AssessmentError("framework_retired", _("This framework is retired."), "framework")
    if assessed_on > timezone.localdate():
        raise AssessmentError("future_date", _("The assessment date cannot be in the future."), "assessed_on")
    chosen = _validated(framework, ratings, complete=submit)
    institution, department = place_of(person, framework)
    assessment = Assessment.objects.create(
        person=person,
        framework=framework,
        kind=kind,
        assessor=actor,
        assessed_on=assessed_on,
        round_label=round_label.strip(),
        status=AssessmentStatus.SUBMITTED if submit else AssessmentStatus.DRAFT,
        submitted_at=timezone.now() if submit else None,
        institution=institution,
        department=department,
    )
    Rating.objects.bulk_create(
        Rating(assessment=assessment, competency_id=competency_id, level=rating.level, note=rating.note.strip())
        for competency_id, rating in chosen.items()
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=assessment,
        summary=f"{kind} assessment against {framework.code} ({assessment.status})",
        changes={"ratings": len(chosen), "status": assessment.status},
    )
    return assessment


@transaction.atomic
def assessment_update(
    *, actor: User, assessment: Assessment, ratings: Mapping[int, RatingInput], submit: bool
) -> Assessment:
    """Change the ratings of a draft (only its assessor may) and optionally submit it."""
    assessment = Assessment.objects.select_for_update().select_related("framework").get(pk=assessment.pk)
    if assessment.assessor_id != actor.pk:
        raise PermissionDenied
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentError("already_submitted", _("This assessment was already submitted."))
    chosen = _validated(assessment.framework, ratings, complete=submit)
    assessment.ratings.all().delete()
    Rating.objects.bulk_create(
        Rating(assessment=assessment, competency_id=competency_id, level=rating.level, note=rating.note.strip())
        for competency_id, rating in chosen.items()
    )
    fields = ["updated_at"]
    if submit:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        fields += ["status", "submitted_at"]
    assessment.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION if submit else AuditAction.UPDATE,
        obj=assessment,
        summary=f"ratings changed ({assessment.status})",
        changes={"ratings": len(chosen), "status": assessment.status},
    )
    return assessment
