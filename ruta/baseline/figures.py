"""Every figure the baseline pages and reports show, computed from the rows, never typed.

"35 participants, 12 institutions, 48.6 % women" is ``workshop_figures``; the initiatives per pillar,
the capacity means and changes per round, and the results framework's actual values live here too.
Each share carries the counts behind it, so a reader can check it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from ruta.baseline.models import (
    ROUND_ORDER,
    Attendance,
    CapacityDimension,
    CapacityScore,
    Initiative,
    Participant,
    Pillar,
    ResultIndicator,
    ResultValue,
    Round,
    Sex,
    Study,
    Workshop,
)
from ruta.core.indicators import indicator as statistics_indicator
from ruta.institutions.models import Institution

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Share:
    """``count`` out of ``total``, as a percentage with one decimal (None when nothing to divide)."""

    count: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(100 * self.count) / Decimal(self.total)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SessionAttendance:
    session_id: int
    title: str
    held_on: Any
    present: int


@dataclass(frozen=True)
class WorkshopFigures:
    participants: int
    institutions: int
    by_sex: dict[str, int]
    women: Share
    sessions: list[SessionAttendance]
    by_institution: list[tuple[Institution, int]]
    outputs: int
    findings: int


def _participant_figures(participants: QuerySet[Participant]) -> tuple[int, int, dict[str, int]]:
    by_sex = dict.fromkeys(Sex.values, 0)
    for row in participants.values("sex").annotate(n=Count("pk")):
        by_sex[row["sex"]] = row["n"]
    institutions = participants.values("institution_id").distinct().count()
    return sum(by_sex.values()), institutions, by_sex


def workshop_figures(workshop: Workshop) -> WorkshopFigures:
    participants = Participant.objects.filter(workshop=workshop)
    total, institutions, by_sex = _participant_figures(participants)
    present = dict(
        Attendance.objects.filter(session__workshop=workshop)
        .values_list("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    per_institution = dict(
        participants.values_list("institution_id").annotate(n=Count("pk")).values_list("institution_id", "n")
    )
    by_institution = sorted(
        (
            (institution, per_institution[institution.pk])
            for institution in Institution.objects.filter(pk__in=per_institution)
        ),
        key=lambda pair: (-pair[1], pair[0].name),
    )
    return WorkshopFigures(
        participants=total,
        institutions=institutions,
        by_sex=by_sex,
        women=Share(by_sex[Sex.FEMALE], total),
        sessions=[
            SessionAttendance(session.pk, session.title, session.held_on, present.get(session.pk, 0))
            for session in workshop.sessions.all()
        ],
        by_institution=by_institution,
        outputs=workshop.outputs.count(),
        findings=workshop.findings.count(),
    )


@dataclass(frozen=True)
class RoundFigures:
    """A round's workshops together: participations (a person at two workshops counts twice)."""

    workshops: int
    participants: int
    institutions: int
    women: Share
    assessments: int
    findings: int
    recommendations: int


def round_figures(round_: Round) -> RoundFigures:
    participants = Participant.objects.filter(workshop__round=round_)
    total, institutions, by_sex = _participant_figures(participants)
    kinds = dict(round_.findings.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return RoundFigures(
        workshops=round_.workshops.count(),
        participants=total,
        institutions=institutions,
        women=Share(by_sex[Sex.FEMALE], total),
        assessments=round_.assessments.count(),
        findings=kinds.get("finding", 0),
        recommendations=kinds.get("recommendation", 0),
    )


@dataclass(frozen=True)
class PillarCount:
    pillar: str
    label: str
    count: int
    share: Share


def initiatives_by_pillar(initiatives: QuerySet[Initiative]) -> list[PillarCount]:
    """Initiatives per pillar of the 4 Ps (every pillar listed, zero included)."""
    counts = dict(initiatives.order_by().values_list("pillar").annotate(n=Count("pk")).values_list("pillar", "n"))
    total = sum(counts.values())
    return [
        PillarCount(value, str(label), counts.get(value, 0), Share(counts.get(value, 0), total))
        for value, label in Pillar.choices
    ]


def initiatives_by_department(initiatives: QuerySet[Initiative]) -> tuple[dict[str, int], int]:
    """Initiatives reaching each department (by department code), and how many are national."""
    national = initiatives.filter(coverage="national").count()
    links = Initiative.departments.through.objects.filter(
        initiative_id__in=initiatives.exclude(coverage="national").values("pk")
    )
    rows = links.values("department__code").annotate(n=Count("pk"))
    return {row["department__code"]: row["n"] for row in rows}, national


@dataclass
class CapacityComparison:
    """Capacity scores of a study's rounds: per institution and dimension, and the means per round.

    ``scores[institution_id][dimension_id][round_id]`` is the score; ``means[dimension_id][round_id]``
    the mean over the institutions assessed in that round (with ``counts`` behind it); ``changes``
    the last round's score minus the first round's, for pairs scored in both."""

    rounds: list[Round]
    dimensions: list[CapacityDimension]
    institutions: list[Institution]
    scores: dict[int, dict[int, dict[int, int]]] = field(default_factory=dict)
    means: dict[int, dict[int, Decimal | None]] = field(default_factory=dict)
    counts: dict[int, dict[int, int]] = field(default_factory=dict)
    institution_means: dict[int, dict[int, Decimal | None]] = field(default_factory=dict)

    def change(self, institution_id: int, dimension_id: int) -> int | None:
        by_round = self.scores.get(institution_id, {}).get(dimension_id, {})
        scored = [round_.pk for round_ in self.rounds if round_.pk in by_round]
        if len(scored) < 2:
            return None
        return by_round[scored[-1]] - by_round[scored[0]]

    def mean_change(self, dimension_id: int) -> Decimal | None:
        """Mean of the per-institution changes on one dimension (institutions scored at least twice)."""
        changes = [
            change
            for institution in self.institutions
            if (change := self.change(institution.pk, dimension_id)) is not None
        ]
        return _mean(changes)

    def dimension_rows(self) -> list[dict[str, Any]]:
        """Per dimension: (mean, how many institutions) per round, and the mean change."""
        return [
            {
                "dimension": dimension,
                "cells": [
                    (
                        self.means.get(dimension.pk, {}).get(round_.pk),
                        self.counts.get(dimension.pk, {}).get(round_.pk, 0),
                    )
                    for round_ in self.rounds
                ],
                "change": self.mean_change(dimension.pk),
            }
            for dimension in self.dimensions
        ]

    def institution_rows(self) -> list[dict[str, Any]]:
        """Per institution and dimension scored: the score per round and the change."""
        rows = []
        for institution in self.institutions:
            for dimension in self.dimensions:
                by_round = self.scores.get(institution.pk, {}).get(dimension.pk)
                if not by_round:
                    continue
                rows.append(
                    {
                        "institution": institution,
                        "dimension": dimension,
                        "cells": [by_round.get(round_.pk) for round_ in self.rounds],
                        "change": self.change(institution.pk, dimension.pk),
                    }
                )
        return rows


def _mean(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ordered_rounds(study: Study) -> list[Round]:
    return sorted(study.rounds.all(), key=lambda round_: (ROUND_ORDER[round_.kind], round_.starts_on))


def capacity_comparison(study: Study) -> CapacityComparison:
    rounds = ordered_rounds(study)
    rows = CapacityScore.objects.filter(assessment__round__study=study).values_list(
        "assessment__institution_id", "dimension_id", "assessment__round_id", "value"
    )
    scores: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    per_dimension: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    per_institution: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for institution_id, dimension_id, round_id, value in rows:
        scores[institution_id][dimension_id][round_id] = value
        per_dimension[dimension_id][round_id].append(value)
        per_institution[institution_id][round_id].append(value)
    dimension_ids = set(per_dimension)
    comparison = CapacityComparison(
        rounds=rounds,
        dimensions=list(
            CapacityDimension.objects.filter(Q(pk__in=dimension_ids) | Q(is_active=True)).prefetch_related("levels")
        ),
        institutions=list(Institution.objects.filter(pk__in=scores).order_by("name")),
        scores={key: {dim: dict(by_round) for dim, by_round in value.items()} for key, value in scores.items()},
    )
    for dimension_id, by_round in per_dimension.items():
        comparison.means[dimension_id] = {round_id: _mean(values) for round_id, values in by_round.items()}
        comparison.counts[dimension_id] = {round_id: len(values) for round_id, values in by_round.items()}
    for institution_id, by_round in per_institution.items():
        comparison.institution_means[institution_id] = {
            round_id: _mean(values) for round_id, values in by_round.items()
        }
    return comparison


@dataclass(frozen=True)
class ResultRow:
    indicator: ResultIndicator
    actuals: list[tuple[Round, Decimal | int | None, str]]  # per round: value and where it comes from


def results_framework(study: Study) -> list[ResultRow]:
    """Each results indicator with its actual value per round: counted by the linked statistics
    indicator over the round's dates, or else the typed value and its source."""
    rounds = ordered_rounds(study)
    typed = {
        (value.indicator_id, value.round_id): value for value in ResultValue.objects.filter(indicator__study=study)
    }
    rows = []
    for result in study.indicators.all():
        actuals: list[tuple[Round, Decimal | int | None, str]] = []
        for round_ in rounds:
            if result.statistic:
                actuals.append((round_, statistic_total(result.statistic, round_), result.statistic))
            elif (value := typed.get((result.pk, round_.pk))) is not None:
                actuals.append((round_, value.value, value.source))
            else:
                actuals.append((round_, None, ""))
        rows.append(ResultRow(result, actuals))
    return rows


def statistic_total(code: str, round_: Round) -> int | None:
    """The registered statistics indicator ``code`` counted over the round's period (None if unknown)."""
    try:
        found = statistics_indicator(code)
    except KeyError:
        return None
    return found.count(since=round_.starts_on, until=round_.ends_on).get((), 0)
