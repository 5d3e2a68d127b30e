"""Case items for the work lists (``ruta.core.worklist``): one query per provider, whatever the count.

"My work" (``team=False``): needs areas due and the child-protection notification on cases I own,
draft or returned plans I own, follow-ups assigned to me, and plans and closures I may approve.
"My team's work" (``team=True``): the same items on every open case of my institution
(TEAM_WORKLIST_VIEW scope), with who holds each one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import Count, F, Model, Q, QuerySet, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.cases.models import (
    CarePlan,
    Case,
    CaseClosure,
    ChildProtectionNotification,
    FollowUp,
    NeedAssessment,
    Stage,
)
from ruta.cases.permissions import CasePermission
from ruta.core.worklist import WorkItem, WorkPage, page_total, worklist_provider
from ruta.policy import access
from ruta.policy.permissions import PlatformPermission

CHILD_NOTIFICATION_WITHIN = timedelta(hours=24)
PLAN_FINISH_WITHIN = timedelta(days=7)


def _end_of(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def _name(user: User) -> str:
    return str(user.get_full_name() or user.get_username()) if user else ""


def _cases(user: User, team: bool) -> QuerySet[Case] | None:
    """Open cases in reach: the institution's (team) or the user's own; None when there are none."""
    if team:
        if not access.has_perm(user, PlatformPermission.TEAM_WORKLIST_VIEW):
            return None
        cases = access.visible(user, PlatformPermission.TEAM_WORKLIST_VIEW, Case.objects.all())
    else:
        cases = Case.objects.filter(owner=user)
    return cases.exclude(stage=Stage.CLOSED)


RowT = TypeVar("RowT", bound=Model)
EMPTY = WorkPage([], 0)


def _page(rows: QuerySet[RowT], limit: int | None, build: Callable[[RowT], WorkItem]) -> WorkPage:
    """The first ``limit`` rows (already ordered by due date) and the total, in one query."""
    if limit is not None:
        rows = rows.annotate(total=Window(Count("pk")))[:limit]
    found = list(rows)
    return WorkPage([build(row) for row in found], page_total(found, limit))


def _url(case: Case, anchor: str = "") -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference}) + (f"#{anchor}" if anchor else "")


@worklist_provider("cases.needs", paged=True)
def needs_due(user: User, team: bool, limit: int | None = None) -> WorkPage:
    cases = _cases(user, team)
    if cases is None:
        return EMPTY
    pending = (
        NeedAssessment.objects.filter(case__in=cases, level="", due_on__isnull=False)
        .select_related("case__owner")
        .order_by("due_on", "id")
    )
    return _page(
        pending,
        limit,
        lambda need: WorkItem(
            kind="needs_assessment",
            label=_("Assess needs: %(area)s") % {"area": need.get_area_display()},
            reference=need.case.reference,
            due_at=_end_of(need.due_on),
            url=_url(need.case, "needs-heading"),
            assignee=_name(need.case.owner) if team else "",
        ),
    )


@worklist_provider("cases.child_protection", paged=True)
def child_notification_due(user: User, team: bool, limit: int | None = None) -> WorkPage:
    cases = _cases(user, team)
    if cases is None:
        return EMPTY
    missing = (
        cases.filter(has_child=True)
        .exclude(pk__in=ChildProtectionNotification.objects.values("case_id"))
        .select_related("owner")
        .order_by("opened_at", "id")
    )
    return _page(
        missing,
        limit,
        lambda case: WorkItem(
            kind="child_protection",
            label=_("Notify the child-protection authority (SENAF)"),
            reference=case.reference,
            due_at=case.opened_at + CHILD_NOTIFICATION_WITHIN,
            url=reverse("cases:child_notify", kwargs={"reference": case.reference}),
            assignee=_name(case.owner) if team else "",
        ),
    )


@worklist_provider("cases.plans", paged=True)
def plans(user: User, team: bool, limit: int | None = None) -> WorkPage:
    """Drafts and returned plans to finish (their author), plans awaiting approval (approvers)."""
    current = CarePlan.objects.filter(superseded_at__isnull=True, approved_at__isnull=True).select_related(
        "case", "author"
    )
    if team:
        cases = _cases(user, team)
        if cases is None:
            return EMPTY
        found = current.filter(case__in=cases)
    else:
        to_finish = Q(author=user, submitted_at__isnull=True)
        if access.has_perm(user, CasePermission.APPROVE):
            approvable = access.visible(user, CasePermission.APPROVE, Case.objects.exclude(stage=Stage.CLOSED))
            condition = to_finish | (Q(submitted_at__isnull=False, case__in=approvable) & ~Q(author=user))
        else:
            condition = to_finish
        found = current.filter(condition).exclude(case__stage=Stage.CLOSED)
    # Due a week after submission (to approve) or creation (to finish): the earliest first.
    return _page(
        found.order_by(Coalesce("submitted_at", "created_at"), "id"), limit, lambda plan: _plan_item(plan, team)
    )


def _plan_item(plan: CarePlan, team: bool) -> WorkItem:
    if plan.submitted_at:
        label, due, url = (
            _("Approve the care plan"),
            plan.submitted_at + PLAN_FINISH_WITHIN,
            reverse("cases:plan_decide", kwargs={"reference": plan.case.reference}),
        )
    else:
        label = _("Finish the care plan (returned)") if plan.returned_comment else _("Finish and submit the care plan")
        due, url = (
            plan.created_at + PLAN_FINISH_WITHIN,
            reverse("cases:plan", kwargs={"reference": plan.case.reference}),
        )
    return WorkItem(
        kind="care_plan",
        label=label,
        reference=plan.case.reference,
        due_at=due,
        url=url,
        assignee=_name(plan.author) if team else "",
    )


@worklist_provider("cases.follow_ups", paged=True)
def follow_ups(user: User, team: bool, limit: int | None = None) -> WorkPage:
    pending = FollowUp.objects.filter(done_at__isnull=True).select_related("case", "assigned_to")
    if team:
        cases = _cases(user, team)
        if cases is None:
            return EMPTY
        pending = pending.filter(case__in=cases)
    else:
        pending = pending.filter(assigned_to=user).exclude(case__stage=Stage.CLOSED)
    return _page(
        pending.order_by(F("due_on").asc(nulls_last=True), "id"),
        limit,
        lambda follow_up: WorkItem(
            kind="follow_up",
            label=_("Follow-up: %(purpose)s") % {"purpose": follow_up.purpose},
            reference=follow_up.case.reference,
            due_at=_end_of(follow_up.due_on),
            url=reverse("cases:follow_up_done", kwargs={"reference": follow_up.case.reference, "pk": follow_up.pk}),
            assignee=_name(follow_up.assigned_to) if team else "",
        ),
    )


@worklist_provider("cases.closures", paged=True)
def closures(user: User, team: bool, limit: int | None = None) -> WorkPage:
    if not access.has_perm(user, CasePermission.APPROVE):
        return EMPTY
    if team:
        cases = _cases(user, team)
        if cases is None:
            return EMPTY
    else:
        cases = access.visible(user, CasePermission.APPROVE, Case.objects.all())
    pending = (
        CaseClosure.objects.filter(approved__isnull=True, case__in=cases, case__stage=Stage.CLOSURE_REQUESTED)
        .select_related("case", "requested_by")
        .order_by("created_at", "id")
    )
    if not team:
        pending = pending.exclude(requested_by=user)
    return _page(
        pending,
        limit,
        lambda closure: WorkItem(
            kind="closure",
            label=_("Approve or reject the closure"),
            reference=closure.case.reference,
            due_at=closure.created_at + PLAN_FINISH_WITHIN,
            url=reverse("cases:close_decide", kwargs={"reference": closure.case.reference}),
            assignee=_name(closure.requested_by) if team else "",
        ),
    )
