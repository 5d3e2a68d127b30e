"""The navigation, by permission: a user sees the entries their roles grant, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.accounts.access import has_perm
from ruta.accounts.roles import Permission


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    # Shown to holders of any of these permissions; None = every signed-in user.
    permission: Permission | tuple[Permission, ...] | None
    description: Promise

    def visible_to(self, user: Any) -> bool:
        if self.permission is None:
            return True
        wanted = self.permission if isinstance(self.permission, tuple) else (self.permission,)
        return any(has_perm(user, permission) for permission in wanted)


NAVIGATION: list[NavItem] = [
    NavItem(
        "cases:my_work",
        _("My work"),
        Permission.WORKLIST_VIEW,
        _("Your overdue and due-soon assessments, plans, follow-ups and approvals."),
    ),
    NavItem(
        "cases:team_work",
        _("My team's work"),
        Permission.TEAM_WORKLIST_VIEW,
        _("What is waiting on your institution's cases, and who holds it."),
    ),
    NavItem(
        "cases:list",
        _("Cases"),
        Permission.CASE_VIEW,
        _("Cases along the referral route: identification, consent, needs, plan, services, closure."),
    ),
    NavItem(
        "alerts:queue",
        _("Alerts"),
        Permission.ALERT_VIEW,
        _("The triage queue: alerts by priority and deadline."),
    ),
    NavItem(
        "alerts:new",
        _("New alert"),
        Permission.ALERT_CREATE,
        _("Record an alert from a community network, an NGO, a municipality or an inspection."),
    ),
    NavItem(
        "alerts:hotline",
        _("Hotline 145"),
        Permission.HOTLINE_LOG,
        _("Log calls to the national line; repeat callers are recognised."),
    ),
    NavItem(
        "institutions:directory",
        _("Directory"),
        Permission.DIRECTORY_VIEW,
        _("Institutions and services by territory: the referral directory."),
    ),
    NavItem(
        "screening:calculator",
        _("Screening"),
        Permission.SCREENING_RUN,
        _("Check a situation against the ILO–EC indicators of trafficking."),
    ),
    NavItem(
        "screening:catalogue",
        _("Indicator catalogue"),
        Permission.CATALOGUE_MANAGE,
        _("Screening indicator lists, their sources and verification status; import official lists."),
    ),
    NavItem(
        "referrals:list",
        _("Referrals"),
        (Permission.REFERRAL_SEND, Permission.REFERRAL_RECEIVE),
        _("Referrals sent from your cases and received by your institution."),
    ),
    NavItem(
        "audit:list",
        _("Audit log"),
        Permission.AUDIT_VIEW,
        _("Who read or changed which record, and when."),
    ),
    NavItem(
        "security:exports",
        _("Exports"),
        Permission.EXPORT_AGGREGATE,
        _("Download aggregated counts (small cells suppressed), with a stated purpose."),
    ),
    NavItem(
        "security:break_glass",
        _("Emergency access"),
        Permission.BREAK_GLASS,
        _("Open one record outside your scope, with a reason; the commission is told."),
    ),
    NavItem(
        "notifications:list",
        _("Notifications"),
        None,
        _("Deadlines, escalations and referrals that need you."),
    ),
    NavItem(
        "accounts:security",
        _("My account"),
        None,
        _("Your second factor, recovery codes, password and sessions."),
    ),
]


def navigation_for(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [{"url": reverse(item.url_name), "item": item} for item in NAVIGATION if item.visible_to(user)]
