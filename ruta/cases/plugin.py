"""What the cases app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.cases import access_rules, worklist  # noqa: F401 - registers access rules and work lists
from ruta.cases.permissions import CasePermission
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.policy.permissions import PlatformPermission
from ruta.policy.roles import Scope, grant_table
from ruta.security.break_glass import honour_in_emergency

mount_pages("cases/", "ruta.cases.urls")
mount_api("ruta.api.cases")

menu_entry(
    NavItem(
        "cases:my_work",
        _("My work"),
        PlatformPermission.WORKLIST_VIEW,
        _("Your overdue and due-soon assessments, plans, follow-ups and approvals."),
        order=10,
    )
)

menu_entry(
    NavItem(
        "cases:team_work",
        _("My team's work"),
        PlatformPermission.TEAM_WORKLIST_VIEW,
        _("What is waiting on your institution's cases, and who holds it."),
        order=20,
    )
)

menu_entry(
    NavItem(
        "cases:list",
        _("Cases"),
        CasePermission.VIEW,
        _("Cases along the referral route: identification, consent, needs, plan, services, closure."),
        order=30,
    )
)


P, S = CasePermission, Scope
grant_table(
    {
        "eri_responder": {P.CREATE: S.TEAM, P.VIEW: S.TEAM, P.EDIT: S.TEAM},
        "caseworker": {P.CREATE: S.TEAM, P.VIEW: S.TEAM, P.EDIT: S.TEAM},
        "supervisor": {P.CREATE: S.INSTITUTION, P.VIEW: S.INSTITUTION, P.EDIT: S.TEAM, P.APPROVE: S.INSTITUTION},
        "eri_supervisor": {P.CREATE: S.INSTITUTION, P.VIEW: S.INSTITUTION, P.EDIT: S.TEAM, P.APPROVE: S.INSTITUTION},
        "legal_liaison": {P.VIEW: S.TEAM},
    }
)
honour_in_emergency(CasePermission.VIEW)
