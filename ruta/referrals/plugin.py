"""What the referrals app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.cases.actions import CaseAction, case_action
from ruta.core.defaults import default_catalogue
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.deadlines.registry import register_deadline
from ruta.policy.roles import Scope, grant_table
from ruta.referrals import access_rules, worklist  # noqa: F401 - registers access rules and work lists
from ruta.referrals.deadlines import ACCEPTANCE_DEADLINE, COMPLETION_DEADLINE
from ruta.referrals.permissions import ReferralPermission

mount_pages("referrals/", "ruta.referrals.urls")
mount_api("ruta.api.referrals")
default_catalogue("referrals.ReferralDeadlineRule", "ruta.referrals.migrations.0002_default_deadlines", "forwards")
register_deadline(ACCEPTANCE_DEADLINE)
register_deadline(COMPLETION_DEADLINE)

menu_entry(
    NavItem(
        "referrals:list",
        _("Referrals"),
        (ReferralPermission.SEND, ReferralPermission.RECEIVE),
        _("Referrals sent from your cases and received by your institution."),
        order=100,
    )
)

case_action(CaseAction("referrals:new", _("Refer to another institution"), ReferralPermission.SEND))


P, S = ReferralPermission, Scope
grant_table(
    {
        "eri_responder": {P.SEND: S.TEAM},
        "caseworker": {P.SEND: S.TEAM, P.RECEIVE: S.INSTITUTION},
        "supervisor": {P.SEND: S.TEAM, P.RECEIVE: S.INSTITUTION, P.CONSENT_OVERRIDE: S.INSTITUTION},
        "eri_supervisor": {P.SEND: S.TEAM, P.RECEIVE: S.INSTITUTION, P.CONSENT_OVERRIDE: S.INSTITUTION},
        "legal_liaison": {P.RECEIVE: S.INSTITUTION, P.LEGAL_MILESTONE_RECORD: S.INSTITUTION},
    }
)
