"""What the cases app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.cases import access_rules, services, worklist  # noqa: F401 - registers access rules and work lists
from ruta.cases.permissions import CasePermission
from ruta.cases.retention import closed_cases_anonymise, closed_cases_due
from ruta.cases.statistics import CASES_BY_STAGE, CASES_OPENED
from ruta.core.defaults import default_catalogue
from ruta.core.indicators import register_indicator
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.persons.permissions import PersonPermission
from ruta.persons.services import on_person_merged
from ruta.policy.permissions import PlatformPermission
from ruta.policy.roles import Scope, grant_table
from ruta.security.break_glass import honour_in_emergency
from ruta.security.exports import register_export
from ruta.security.retention_policies import register_retention

mount_pages("cases/", "ruta.cases.urls")
mount_api("ruta.api.cases")
on_person_merged(services.case_person_merged)
default_catalogue("cases.ClosureReason", "ruta.cases.migrations.0004_closure_reasons", "load")
register_indicator(CASES_OPENED)
register_export(CASES_BY_STAGE)
register_retention(
    "cases.closed_anonymise",
    _("Closed cases are anonymised (narrative and identities)"),
    count=closed_cases_due,
    apply=closed_cases_anonymise,
    default_keep_days=3650,
)

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
CASE_GRANTS = {
    "eri_responder": {P.CREATE: S.TEAM, P.VIEW: S.TEAM, P.EDIT: S.TEAM},
    "caseworker": {P.CREATE: S.TEAM, P.VIEW: S.TEAM, P.EDIT: S.TEAM},
    "supervisor": {P.CREATE: S.INSTITUTION, P.VIEW: S.INSTITUTION, P.EDIT: S.TEAM, P.APPROVE: S.INSTITUTION},
    "eri_supervisor": {P.CREATE: S.INSTITUTION, P.VIEW: S.INSTITUTION, P.EDIT: S.TEAM, P.APPROVE: S.INSTITUTION},
    "legal_liaison": {P.VIEW: S.TEAM},
}
# Persons are reached through their cases (``access_rules``): whoever sees or works on cases sees or
# corrects the persons in them, in the same scope.
ALONG_WITH_CASES = {P.VIEW: PersonPermission.VIEW, P.EDIT: PersonPermission.EDIT}
grant_table(
    {
        role: grants | {ALONG_WITH_CASES[perm]: scope for perm, scope in grants.items() if perm in ALONG_WITH_CASES}
        for role, grants in CASE_GRANTS.items()
    }
)
honour_in_emergency(CasePermission.VIEW)
