"""The risk score of an establishment and the ranked plan built on it.

The score is a sum of contributions, each ``points × units`` (units counted at most ``cap``), with
the weights in the ``RiskFactor`` table:

- ``sector``: the sector's own weight (ISIC code, ``Sector.risk_weight``);
- ``earlier_findings``: completed visits with an indicator or immediate danger, within the window;
- ``complaints``: complaint visits, within the window;
- ``area_alerts``: trafficking alerts received in the establishment's municipality, within the window.

The score is stored on the establishment with its explanation (``risk_factors``) and refreshed
when an input changes (a visit closes: a job; alerts: the daily job), so the ranked plan is a single
indexed read (``establishment_plan``: department, score) whatever the registry's size."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from ruta.alerts.models import Alert, AlertStatus
from ruta.inspections.models import Establishment, InspectionType, RiskFactor, Visit, VisitStatus

BATCH = 2000


@dataclass(frozen=True)
class FactorDef:
    code: str
    points: int
    cap: int
    window_days: int


def score(
    sector_weight: int, counts: Mapping[str, int], factors: Iterable[FactorDef]
) -> tuple[int, list[dict[str, Any]]]:
    """The score and its explanation: one ``{"factor", "units", "points"}`` per factor that adds points."""
    total = 0
    contributions: list[dict[str, Any]] = []
    for factor in factors:
        raw = sector_weight if factor.code == RiskFactor.SECTOR else counts.get(factor.code, 0)
        units = min(raw, factor.cap)
        points = units * factor.points
        if points:
            contributions.append({"factor": factor.code, "units": units, "points": points})
            total += points
    return total, contributions


def factor_defs() -> list[FactorDef]:
    return [
        FactorDef(f.code, f.points, f.cap, f.window_days)
        for f in RiskFactor.objects.order_by("code").only("code", "points", "cap", "window_days")
    ]


def _since(factor: FactorDef | None, today: date) -> date:
    return today - timedelta(days=factor.window_days if factor else 0)


def _counts(establishment_ids: list[int] | None, factors: dict[str, FactorDef]) -> dict[str, dict[int, int]]:
    today = timezone.localdate()
    visits = (
        Visit.objects.all()
        if establishment_ids is None
        else Visit.objects.filter(establishment_id__in=establishment_ids)
    )
    findings = visits.filter(
        status=VisitStatus.COMPLETED,
        has_findings=True,
        visit_date__gte=_since(factors.get(RiskFactor.EARLIER_FINDINGS), today),
    )
    complaints = visits.filter(
        inspection_type=InspectionType.COMPLAINT,
        visit_date__gte=_since(factors.get(RiskFactor.COMPLAINTS), today),
    )
    counts: dict[str, dict[int, int]] = {
        RiskFactor.EARLIER_FINDINGS: dict(
            findings.values_list("establishment_id").annotate(n=Count("pk")).values_list("establishment_id", "n")
        ),
        RiskFactor.COMPLAINTS: dict(
            complaints.values_list("establishment_id").annotate(n=Count("pk")).values_list("establishment_id", "n")
        ),
    }
    alerts_since = (
        timezone.now() - timedelta(days=factors[RiskFactor.AREA_ALERTS].window_days)
        if (RiskFactor.AREA_ALERTS in factors)
        else timezone.now()
    )
    counts["area_alerts_by_municipality"] = dict(
        Alert.objects.filter(received_at__gte=alerts_since, municipality__isnull=False)
        .exclude(status=AlertStatus.MERGED)
        .values_list("municipality_id")
        .annotate(n=Count("pk"))
        .values_list("municipality_id", "n")
    )
    return counts


def refresh_risk(*, establishment_ids: Iterable[int] | None = None) -> int:
    """Recompute and store the score of these establishments (all when None); returns how many changed."""
    ids = None if establishment_ids is None else sorted(set(establishment_ids))
    factors = factor_defs()
    counts = _counts(ids, {f.code: f for f in factors})
    now = timezone.now()
    queryset = Establishment.objects.all() if ids is None else Establishment.objects.filter(pk__in=ids)
    changed: list[Establishment] = []
    for establishment in (
        queryset.select_related("sector")
        .only("pk", "municipality_id", "sector__risk_weight", "risk_score", "risk_factors")
        .iterator(chunk_size=BATCH)
    ):
        total, contributions = score(
            establishment.sector.risk_weight,
            {
                RiskFactor.EARLIER_FINDINGS: counts[RiskFactor.EARLIER_FINDINGS].get(establishment.pk, 0),
                RiskFactor.COMPLAINTS: counts[RiskFactor.COMPLAINTS].get(establishment.pk, 0),
                RiskFactor.AREA_ALERTS: counts["area_alerts_by_municipality"].get(establishment.municipality_id, 0),
            },
            factors,
        )
        if total != establishment.risk_score or contributions != establishment.risk_factors:
            establishment.risk_score, establishment.risk_factors, establishment.risk_computed_at = (
                total,
                contributions,
                now,
            )
            changed.append(establishment)
    for start in range(0, len(changed), BATCH):
        Establishment.objects.bulk_update(
            changed[start : start + BATCH], ["risk_score", "risk_factors", "risk_computed_at"]
        )
    return len(changed)


def ranked_plan(
    establishments: QuerySet[Establishment],
    *,
    department_id: int | None = None,
    municipality_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 50,
) -> list[Establishment]:
    """The riskiest active establishments of a territory, each with its last visit and whether it is
    already planned in the period. One query: the index on (department, score) gives the first rows."""
    if department_id is not None:
        establishments = establishments.filter(department_id=department_id)
    if municipality_id is not None:
        establishments = establishments.filter(municipality_id=municipality_id)
    period = Q(establishment_id=OuterRef("pk"), status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS])
    if since is not None:
        period &= Q(planned_for__gte=since)
    if until is not None:
        period &= Q(planned_for__lte=until)
    return list(
        establishments.filter(is_active=True)
        .annotate(
            planned=Exists(Visit.objects.filter(period)),
            last_visit=Visit.objects.filter(establishment_id=OuterRef("pk"), status=VisitStatus.COMPLETED)
            .values("establishment_id")
            .annotate(last=Max("visit_date"))
            .values("last")[:1],
        )
        .order_by("-risk_score", "id")[:limit]
    )
