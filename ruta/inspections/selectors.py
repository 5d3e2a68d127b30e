"""Reads of labour inspection that depend on who asks, and the figures other modules call
(``field_outcomes`` for training, ``findings_by_municipality`` for the networks' map).

Missing and forbidden look the same (404)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ruta.accounts.models import User
from ruta.audit.services import audit_read
from ruta.inspections.models import (
    Establishment,
    Handover,
    Infraction,
    Visit,
    VisitMember,
    VisitStatus,
    WorkerInterview,
)
from ruta.inspections.permissions import InspectionPermission
from ruta.policy import access


@dataclass(frozen=True)
class FieldOutcome:
    visits: int = 0
    complete_visits: int = 0
    interviews: int = 0
    private_interviews: int = 0
    interviews_with_indicators: int = 0
    handovers: int = 0


def _dated(queryset: QuerySet[Any], prefix: str, since: date | None, until: date | None) -> QuerySet[Any]:
    if since is not None:
        queryset = queryset.filter(**{f"{prefix}visit_date__gte": since})
    if until is not None:
        queryset = queryset.filter(**{f"{prefix}visit_date__lte": until})
    return queryset


def field_outcomes(inspector_ids: Iterable[int], *, since: date | None, until: date | None) -> dict[int, FieldOutcome]:
    """Per inspector, what their visits dated within [since, until] achieved (three grouped queries)."""
    ids = sorted(set(inspector_ids))
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    visits = _dated(Visit.objects.filter(inspector_id__in=ids), "", since, until)
    for row in visits.values("inspector_id").annotate(
        visits=Count("pk"), complete_visits=Count("pk", filter=Q(protocol_complete=True))
    ):
        counts[row["inspector_id"]].update(visits=row["visits"], complete_visits=row["complete_visits"])
    interviews = _dated(WorkerInterview.objects.filter(visit__inspector_id__in=ids), "visit__", since, until)
    for row in interviews.values("visit__inspector_id").annotate(
        interviews=Count("pk"),
        private_interviews=Count("pk", filter=Q(held_in_private=True)),
        interviews_with_indicators=Count("pk", filter=Q(has_indicators=True)),
    ):
        counts[row["visit__inspector_id"]].update(
            interviews=row["interviews"],
            private_interviews=row["private_interviews"],
            interviews_with_indicators=row["interviews_with_indicators"],
        )
    handovers = _dated(Handover.objects.filter(visit__inspector_id__in=ids), "visit__", since, until)
    for row in handovers.values("visit__inspector_id").annotate(handovers=Count("pk")):
        counts[row["visit__inspector_id"]]["handovers"] = row["handovers"]
    return {pk: FieldOutcome(**values) for pk, values in counts.items()}


def findings_by_municipality(*, since: date | None, until: date | None) -> dict[str, int]:
    """Municipality code → completed visits in the period with an indicator or immediate danger."""
    visits = _dated(Visit.objects.filter(status=VisitStatus.COMPLETED, has_findings=True), "", since, until)
    return {
        row["municipality__code"]: row["n"]
        for row in visits.values("municipality__code").annotate(n=Count("pk")).order_by("municipality__code")
    }


# --- pages and API ---------------------------------------------------------------------------------


def visits_visible(user: User) -> QuerySet[Visit]:
    return access.visible(
        user,
        InspectionPermission.VIEW,
        Visit.objects.select_related("establishment__sector", "municipality", "inspector", "protocol"),
    )


def visit_for(user: User, visit_uuid: Any) -> Visit:
    return access.get_visible_or_404(user, InspectionPermission.VIEW, visits_visible(user), uuid=visit_uuid)


def assigned_open_visits(user: User) -> QuerySet[Visit]:
    """The caller's visits still to do, for the offline form: assigned to them or on their team."""
    return visits_visible(user).filter(
        Q(inspector=user) | Q(pk__in=VisitMember.objects.filter(user=user).values("visit_id")),
        status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS],
    )


def establishments_visible(user: User) -> QuerySet[Establishment]:
    return access.visible(
        user, InspectionPermission.ESTABLISHMENT_VIEW, Establishment.objects.select_related("sector", "municipality")
    )


def establishment_for(user: User, pk: int) -> Establishment:
    return access.get_visible_or_404(user, InspectionPermission.ESTABLISHMENT_VIEW, establishments_visible(user), pk=pk)


def may_see_identities(user: User, visit: Visit) -> bool:
    """Worker identities are need-to-know: the visit's inspector and team, or a holder of the identity
    permission whose scope reaches the visit."""
    if visit.inspector_id == user.pk or VisitMember.objects.filter(visit=visit, user=user).exists():
        return access.has_perm(user, InspectionPermission.RECORD) or access.has_perm(
            user, InspectionPermission.INTERVIEW_IDENTITY
        )
    return access.visible(user, InspectionPermission.INTERVIEW_IDENTITY, Visit.objects.filter(pk=visit.pk)).exists()


def interviews_for(user: User, visit: Visit) -> tuple[list[WorkerInterview], bool]:
    """The visit's interviews and whether their identities may be shown; every identified interview
    shown with its identity is an audited read."""
    interviews = list(visit.interviews.all())
    identities = may_see_identities(user, visit)
    if identities:
        for interview in interviews:
            if interview.is_identified:
                audit_read(actor=user, obj=interview, reason="inspection interview identity")
    return interviews, identities


def infractions_of(visit: Visit) -> QuerySet[Infraction]:
    return visit.infractions.select_related("legal_basis")


def visit_history(establishment: Establishment) -> QuerySet[Visit]:
    return establishment.visits.select_related("inspector").annotate(
        handed_over=Exists(Handover.objects.filter(visit=OuterRef("pk")))
    )
