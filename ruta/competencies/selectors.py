"""Reading frameworks, assessments, levels and gaps.

Who reaches an assessment (``ruta.policy.access``):
- ``own``: the person assessed and the assessor (everyone reads their own results, no permission needed);
- ``institution``: assessments of people of the membership's institution (their supervisor);
- ``territory``: assessments of people of the membership's department (none set: the country).

The **current level** of a person in a competency is the latest submitted rating by someone else
(supervisor or follow-up assessment); only when nobody else has rated it, the latest self-rating.
The **target** is the highest target level of the person's roles in the framework; a person with
none of the framework's roles is measured against all its targets (the framework was built for them).
The **gap** is how far the current level falls short of the target: ``max(target − current, 0)``,
so being above target in one competency never hides a shortfall in another in a mean."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.db.models import Q, QuerySet

from ruta.accounts.models import Membership, User
from ruta.competencies.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Competency,
    Framework,
    FrameworkStatus,
    ProficiencyLevel,
    Rating,
    TargetLevel,
)
from ruta.competencies.permissions import CompetencyPermission
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.policy import access
from ruta.policy.access import Reader
from ruta.policy.roles import ROLES

access.register(
    Assessment,
    access.ScopeRules(
        own=lambda user: Q(person=user) | Q(assessor=user),
        institution=lambda ids: Q(institution_id__in=ids),
        territory=lambda departments, _municipalities: Q(department_id__in=departments),
    ),
)

HeatmapBy = Literal["institution", "department"]
OTHERS_RATINGS = (AssessmentKind.SUPERVISOR, AssessmentKind.FOLLOW_UP)
# (person, kind, assessed on, assessment, competency, level) of one submitted rating.
RatingRow = tuple[int, str, date, int, int, int]


@dataclass(frozen=True)
class Gap:
    competency: Competency
    target: int | None
    current: int | None
    gap: int | None  # None when the target or the current level is unknown


@dataclass(frozen=True)
class LevelPoint:
    """One submitted rating of the person: a point of their levels over time."""

    assessed_on: date
    kind: str
    framework: Framework
    competency: Competency
    level: int
    assessment_id: int


@dataclass(frozen=True)
class HeatCell:
    competency: Competency
    mean_gap: float | None
    persons: int  # persons with both a target and a current level behind the mean


@dataclass(frozen=True)
class HeatRow:
    key: int | None
    label: str
    cells: list[HeatCell]
    persons: int  # assessed persons of this row


@dataclass(frozen=True)
class HeatMap:
    framework: Framework
    by: HeatmapBy
    competencies: list[Competency]
    rows: list[HeatRow]
    max_gap: int


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.all()


def active_frameworks() -> QuerySet[Framework]:
    return Framework.objects.exclude(status=FrameworkStatus.RETIRED)


def framework_structure(framework: Framework) -> Framework:
    """The framework with its domains, competencies, levels and targets loaded in a few queries."""
    return Framework.objects.prefetch_related(
        "domains__competencies__level_descriptors", "levels", "targets__competency"
    ).get(pk=framework.pk)


def role_codes(user: User) -> set[str]:
    return set(user.memberships.filter(is_active=True).values_list("role", flat=True))


def frameworks_for(user: User) -> list[Framework]:
    """The frameworks a person assesses themselves against: those of their roles, else every active one."""
    roles = role_codes(user)
    candidates = list(active_frameworks())
    mine = [framework for framework in candidates if roles & set(framework.target_roles)]
    return mine or candidates


def assessments_visible(reader: Reader, queryset: QuerySet[Assessment] | None = None) -> QuerySet[Assessment]:
    """Assessments ``reader`` may read: their own, and others' within their grant."""
    queryset = queryset if queryset is not None else Assessment.objects.all()
    if reader is None or not reader.is_authenticated:
        return queryset.none()
    others = access.scope_filter(reader, CompetencyPermission.VIEW_ASSESSMENTS, Assessment)
    if others is None:
        return queryset
    return queryset.filter(Q(person=reader) | Q(assessor=reader) | others)


def persons_visible(reader: Reader) -> QuerySet[User]:
    """People whose assessments ``reader`` may read (other than through being their assessor)."""
    person_ids = assessments_visible(reader).values("person_id")
    return User.objects.filter(pk__in=person_ids).order_by("last_name", "first_name", "username")


def levels_over_time(user: User) -> list[LevelPoint]:
    """Every submitted rating of ``user``, by framework and competency order, oldest first."""
    ratings = (
        Rating.objects.filter(assessment__person=user, assessment__status=AssessmentStatus.SUBMITTED)
        .select_related("assessment__framework", "competency")
        .order_by("assessment__framework__code", "competency__order", "assessment__assessed_on", "assessment_id")
    )
    return [
        LevelPoint(
            assessed_on=rating.assessment.assessed_on,
            kind=rating.assessment.kind,
            framework=rating.assessment.framework,
            competency=rating.competency,
            level=rating.level,
            assessment_id=rating.assessment_id,
        )
        for rating in ratings
    ]


@dataclass(frozen=True)
class History:
    """A person's submitted assessments in one framework (oldest first) and each competency's levels in them."""

    assessments: list[Assessment]
    rows: list[tuple[Competency, list[int | None]]]


def history_table(person: User, framework: Framework) -> History:
    assessments = list(
        Assessment.objects.filter(person=person, framework=framework, status=AssessmentStatus.SUBMITTED)
        .select_related("assessor")
        .order_by("assessed_on", "pk")
    )
    levels: dict[tuple[int, int], int] = {
        (assessment_id, competency_id): level
        for assessment_id, competency_id, level in Rating.objects.filter(
            assessment__in=[assessment.pk for assessment in assessments]
        ).values_list("assessment_id", "competency_id", "level")
    }
    rows = [
        (competency, [levels.get((assessment.pk, competency.pk)) for assessment in assessments])
        for competency in framework.competencies.order_by("order", "code")
    ]
    return History(assessments=assessments, rows=rows)


def role_label(code: str) -> str:
    """A role's name, or the free profession label a framework names instead of a role."""
    role = ROLES.get(code)
    return str(role.label) if role else code


def _targets(framework: Framework) -> dict[str, dict[int, int]]:
    """role → competency id → target level."""
    found: dict[str, dict[int, int]] = defaultdict(dict)
    for role, competency_id, level in TargetLevel.objects.filter(framework=framework).values_list(
        "role", "competency_id", "level"
    ):
        found[role][competency_id] = level
    return found


def _target_for(targets: dict[str, dict[int, int]], roles: Iterable[str]) -> dict[int, int]:
    relevant = [targets[role] for role in roles if role in targets] or list(targets.values())
    merged: dict[int, int] = {}
    for by_competency in relevant:
        for competency_id, level in by_competency.items():
            merged[competency_id] = max(level, merged.get(competency_id, 0))
    return merged


def _current_levels(ratings: Iterable[RatingRow]) -> dict[int, dict[int, int]]:
    """person → competency → current level, from (person, kind, assessed on, assessment, competency,
    level) rows of submitted assessments; see the module docstring for which rating wins."""
    best: dict[tuple[int, int], tuple[bool, date, int, int]] = {}
    for person_id, kind, assessed_on, assessment_id, competency_id, level in ratings:
        rank = (kind in OTHERS_RATINGS, assessed_on, assessment_id, level)
        key = (person_id, competency_id)
        if key not in best or rank[:3] > best[key][:3]:
            best[key] = rank
    current: dict[int, dict[int, int]] = defaultdict(dict)
    for (person_id, competency_id), rank in best.items():
        current[person_id][competency_id] = rank[3]
    return current


def _rating_rows(assessments: QuerySet[Assessment]) -> QuerySet[Rating, RatingRow]:
    return Rating.objects.filter(
        assessment__in=assessments.filter(status=AssessmentStatus.SUBMITTED).values("pk")
    ).values_list(
        "assessment__person_id",
        "assessment__kind",
        "assessment__assessed_on",
        "assessment_id",
        "competency_id",
        "level",
    )


def _gap(target: int | None, current: int | None) -> int | None:
    if target is None or current is None:
        return None
    return max(target - current, 0)


def gaps_for(user: User, framework: Framework) -> list[Gap]:
    """Per competency of ``framework``: the person's target, current level and gap (see the docstring)."""
    current = _current_levels(_rating_rows(Assessment.objects.filter(person=user, framework=framework))).get(
        user.pk, {}
    )
    targets = _target_for(_targets(framework), role_codes(user))
    gaps = []
    for competency in framework.competencies.order_by("order", "code"):
        target = targets.get(competency.pk)
        level = current.get(competency.pk)
        gaps.append(Gap(competency=competency, target=target, current=level, gap=_gap(target, level)))
    return gaps


def gap_heatmap(framework: Framework, *, by: HeatmapBy, reader: Reader) -> HeatMap:
    """Mean gap per institution (or department) × competency over the persons ``reader`` may count,
    with the number of persons behind each cell. Aggregates only: no person is named.

    A person belongs to the row of their latest submitted assessment in the framework."""
    visible = access.visible(reader, CompetencyPermission.HEATMAP, Assessment.objects.filter(framework=framework))
    submitted = visible.filter(status=AssessmentStatus.SUBMITTED)
    current = _current_levels(_rating_rows(submitted))
    group_field = "institution" if by == "institution" else "department"
    group_of: dict[int, int | None] = {}
    for person_id, group_id in submitted.order_by("assessed_on", "pk").values_list("person_id", f"{group_field}_id"):
        group_of[person_id] = group_id  # the latest wins
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in Membership.objects.filter(user_id__in=list(group_of), is_active=True).values_list(
        "user_id", "role"
    ):
        roles[user_id].add(role)
    targets = _targets(framework)
    competencies = list(framework.competencies.order_by("order", "code"))
    sums: dict[tuple[int | None, int], list[int]] = defaultdict(list)
    for person_id, group_id in group_of.items():
        person_targets = _target_for(targets, roles[person_id])
        for competency in competencies:
            gap = _gap(person_targets.get(competency.pk), current[person_id].get(competency.pk))
            if gap is not None:
                sums[(group_id, competency.pk)].append(gap)
    labels = _group_labels(by, {group for group in group_of.values() if group is not None})
    persons_per_group: dict[int | None, int] = defaultdict(int)
    for group_id in group_of.values():
        persons_per_group[group_id] += 1
    rows = [
        HeatRow(
            key=group_id,
            label=labels.get(group_id, "") if group_id is not None else "",
            persons=count,
            cells=[
                HeatCell(
                    competency=competency,
                    mean_gap=_mean(sums.get((group_id, competency.pk), [])),
                    persons=len(sums.get((group_id, competency.pk), [])),
                )
                for competency in competencies
            ],
        )
        for group_id, count in persons_per_group.items()
    ]
    rows.sort(key=lambda row: (row.key is None, row.label))
    top = ProficiencyLevel.objects.filter(framework=framework).order_by("-level").values_list("level", flat=True)
    return HeatMap(
        framework=framework, by=by, competencies=competencies, rows=rows, max_gap=max((top.first() or 1) - 1, 1)
    )


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _group_labels(by: HeatmapBy, ids: set[int]) -> dict[int | None, str]:
    if by == "institution":
        return {
            pk: short_name or name
            for pk, short_name, name in Institution.objects.filter(pk__in=ids).values_list("pk", "short_name", "name")
        }
    return dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
