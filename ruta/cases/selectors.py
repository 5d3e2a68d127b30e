"""Reads of cases that depend on who asks. Names and other identity fields only reach those holding
PERSON_VIEW_IDENTITY for that person (the case team); everyone else gets pseudonymous references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ruta.accounts.models import User
from ruta.cases.models import (
    BestInterestsDecision,
    CarePlan,
    Case,
    CaseClosure,
    CaseEvent,
    CaseMember,
    CasePerson,
    CasePersonRole,
    ChildProtectionNotification,
    FollowUp,
    IdentificationDecision,
    NeedArea,
    NeedAssessment,
    ReflectionPeriod,
    ServiceDelivery,
)
from ruta.cases.permissions import CasePermission
from ruta.cases.protection import case_proceed_blockers, child_blockers
from ruta.cases.services import case_facts, current_consents
from ruta.cases.stages import milestones
from ruta.persons.models import Person, PersonIdentity
from ruta.persons.permissions import PersonPermission
from ruta.policy import access
from ruta.policy.permissions import Permission


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    stage: str = ""
    exploitation: str = ""
    department: str = ""
    lead_institution: str = ""
    has_child: bool | None = None
    opened_from: date | None = None
    opened_to: date | None = None
    mine: bool = False


def cases_visible(user: User, permission: Permission = CasePermission.VIEW) -> QuerySet[Case]:
    return access.visible(user, permission, Case.objects.all())


def case_list(user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases ``user`` may see, filtered; one query per page (victim count as a subquery)."""
    filters = filters or CaseFilters()
    victims = (
        CasePerson.objects.filter(case=OuterRef("pk"), role=CasePersonRole.PRESUMED_VICTIM)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cases = (
        cases_visible(user)
        .select_related("lead_institution", "municipality__department", "owner")
        .annotate(victim_count=Coalesce(Subquery(victims), 0))
    )
    if filters.q:
        cases = cases.filter(reference__icontains=filters.q.strip())
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.exploitation:
        cases = cases.filter(exploitation=filters.exploitation)
    if filters.department:
        cases = cases.filter(municipality__department__code=filters.department)
    if filters.lead_institution:
        cases = cases.filter(lead_institution__code=filters.lead_institution)
    if filters.has_child is not None:
        cases = cases.filter(has_child=filters.has_child)
    if filters.opened_from:
        cases = cases.filter(opened_at__date__gte=filters.opened_from)
    if filters.opened_to:
        cases = cases.filter(opened_at__date__lte=filters.opened_to)
    if filters.mine:
        cases = cases.filter(
            Q(owner=user) | Q(pk__in=CaseMember.objects.filter(user=user, is_active=True).values("case"))
        )
    return cases.order_by("-opened_at", "-id")


def case_get(user: User, reference: str, permission: Permission = CasePermission.VIEW) -> Case:
    """One case ``user`` reaches with ``permission``, or 404 (missing and forbidden look the same)."""
    return access.get_visible_or_404(
        user, permission, Case.objects.select_related("lead_institution", "municipality", "owner"), reference=reference
    )


def identity_person_ids(user: User, person_ids: list[int]) -> set[int]:
    """Of ``person_ids``, those whose identity ``user`` may see."""
    if not person_ids:
        return set()
    visible = access.visible(user, PersonPermission.VIEW_IDENTITY, Person.objects.filter(pk__in=person_ids))
    return set(visible.values_list("pk", flat=True))


def can(user: User, permission: Permission, case: Case) -> bool:
    return access.visible(user, permission, Case.objects.filter(pk=case.pk)).exists()


@dataclass
class ParticipantView:
    link: CasePerson
    person: Person
    identity: Any  # PersonIdentity or None when the viewer may not see it

    @property
    def display_name(self) -> str:
        if self.identity is None:
            return self.person.reference
        name = f"{self.identity.given_names} {self.identity.family_names}".strip()
        return name or self.person.reference


def case_participants(user: User, case: Case) -> tuple[list[ParticipantView], bool]:
    """The people of the case; identity only where allowed. Also whether every victim's identity is visible."""
    links = list(CasePerson.objects.filter(case=case).select_related("person").order_by("role", "id"))
    allowed = identity_person_ids(user, [link.person_id for link in links])
    identities = {}
    if allowed:
        identities = {i.person_id: i for i in PersonIdentity.objects.filter(person_id__in=allowed)}
    views = [ParticipantView(link, link.person, identities.get(link.person_id)) for link in links]
    victims = [view for view in views if view.link.role == CasePersonRole.PRESUMED_VICTIM]
    return views, bool(victims) and all(view.identity is not None for view in victims)


def case_detail(user: User, case: Case) -> dict[str, Any]:
    """Everything the case page shows, with identity and narrative only for those allowed."""
    participants, sees_identity = case_participants(user, case)
    facts = case_facts(case)
    needs = {need.area: need for need in NeedAssessment.objects.filter(case=case)}
    plans = list(
        CarePlan.objects.filter(case=case)
        .select_related("author", "approved_by")
        .prefetch_related("items__service", "items__institution")
        .order_by("-created_at", "-id")
    )
    closures = list(
        CaseClosure.objects.filter(case=case).select_related("reason", "requested_by", "decided_by").order_by("-id")
    )
    pending_closure = (
        closures[0] if closures and closures[0].approved is None and case.stage == "closure_requested" else None
    )
    return {
        "participants": participants,
        "victims": [p for p in participants if p.link.role == CasePersonRole.PRESUMED_VICTIM],
        "guardians": [p for p in participants if p.link.role == CasePersonRole.GUARDIAN],
        "sees_identity": sees_identity,
        "milestones": milestones(facts),
        "identifications": list(
            IdentificationDecision.objects.filter(case=case).select_related("person", "institution", "recorded_by")
        ),
        "reflections": list(ReflectionPeriod.objects.filter(case=case).select_related("person")),
        "consents": sorted(current_consents(case).values(), key=lambda c: (c.person_id, c.purpose)),
        "child_notifications": list(
            ChildProtectionNotification.objects.filter(case=case).select_related("institution")
        ),
        "best_interests": list(BestInterestsDecision.objects.filter(case=case).select_related("person", "institution")),
        "needs": [(area, label, needs.get(area)) for area, label in NeedArea.choices],
        "plan": next((plan for plan in plans if plan.superseded_at is None), None),
        "previous_plans": [plan for plan in plans if plan.superseded_at is not None],
        "services": list(ServiceDelivery.objects.filter(case=case).select_related("service", "institution")),
        "follow_ups": list(FollowUp.objects.filter(case=case).select_related("assigned_to")),
        "team": list(
            CaseMember.objects.filter(case=case, is_active=True).select_related("user", "institution").order_by("id")
        ),
        "closures": closures,
        "pending_closure": pending_closure,
        "events": list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-id")),
        "child_blockers": child_blockers(case),
        "proceed_blockers": case_proceed_blockers(case),
        "can_edit": can(user, CasePermission.EDIT, case),
        "can_approve": can(user, CasePermission.APPROVE, case),
    }
