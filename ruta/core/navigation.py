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
    permission: Permission | None
    description: Promise
    empty_state: Promise


NAVIGATION: list[NavItem] = [
    NavItem(
        "cases:my_work",
        _("My work"),
        Permission.WORKLIST_VIEW,
        _("Your overdue and due-soon assessments, plans, follow-ups and approvals."),
        _("Nothing is waiting for you."),
    ),
    NavItem(
        "cases:team_work",
        _("My team's work"),
        Permission.TEAM_WORKLIST_VIEW,
        _("What is waiting on your institution's cases, and who holds it."),
        _("Nothing is waiting for your team."),
    ),
    NavItem(
        "cases:list",
        _("Cases"),
        Permission.CASE_VIEW,
        _("Cases along the referral route: identification, consent, needs, plan, services, closure."),
        _("No cases yet."),
    ),
    NavItem(
        "alerts:queue",
        _("Alerts"),
        Permission.ALERT_VIEW,
        _("The triage queue: alerts by priority and deadline."),
        _("No alerts to show."),
    ),
    NavItem(
        "alerts:new",
        _("New alert"),
        Permission.ALERT_CREATE,
        _("Record an alert from a community network, an NGO, a municipality or an inspection."),
        _("No alerts recorded yet."),
    ),
    NavItem(
        "alerts:hotline",
        _("Hotline 145"),
        Permission.HOTLINE_LOG,
        _("Log calls to the national line; repeat callers are recognised."),
        _("No calls logged yet."),
    ),
    NavItem(
        "institutions:directory",
        _("Directory"),
        Permission.DIRECTORY_VIEW,
        _("Institutions and services by territory: the referral directory."),
        _("No institutions are registered yet."),
    ),
    NavItem(
        "screening:catalogue",
        _("Indicator catalogue"),
        Permission.CATALOGUE_MANAGE,
        _("Screening indicator lists, their sources and verification status; import official lists."),
        _("No indicator list is loaded yet."),
    ),
    NavItem(
        "referrals:list",
        _("Referrals"),
        Permission.REFERRAL_SEND,
        _("Referrals sent from your cases and received by your institution."),
        _("No referrals yet."),
    ),
    # Police and prosecutor liaisons receive referrals but send none (NavItem takes one permission).
    NavItem(
        "referrals:list",
        _("Referrals"),
        Permission.LEGAL_MILESTONE_RECORD,
        _("Referrals received by your institution, and the legal process of those cases."),
        _("No referrals yet."),
    ),
    NavItem(
        "audit:list",
        _("Audit log"),
        Permission.AUDIT_VIEW,
        _("Who read or changed which record, and when."),
        _("No audit events yet."),
    ),
    NavItem(
        "security:exports",
        _("Exports"),
        Permission.EXPORT_AGGREGATE,
        _("Download aggregated counts (small cells suppressed), with a stated purpose."),
        _("No exports are available to you."),
    ),
    NavItem(
        "security:break_glass",
        _("Emergency access"),
        Permission.BREAK_GLASS,
        _("Open one record outside your scope, with a reason; the commission is told."),
        _("You have no open emergency access."),
    ),
    NavItem(
        "notifications:list",
        _("Notifications"),
        None,
        _("Deadlines, escalations and referrals that need you."),
        _("You have no notifications."),
    ),
    NavItem(
        "accounts:security",
        _("My account"),
        None,
        _("Your second factor, recovery codes, password and sessions."),
        _("Nothing to show."),
    ),
]


def navigation_for(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        {"url": reverse(item.url_name), "item": item}
        for item in NAVIGATION
        if item.permission is None or has_perm(user, item.permission)
    ]
