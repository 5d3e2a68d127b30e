"""What the alerts app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.alerts import selectors  # noqa: F401 - registers access rules
from ruta.alerts.permissions import AlertPermission
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.policy.roles import Scope, grant_table
from ruta.security.break_glass import honour_in_emergency

mount_pages("alerts/", "ruta.alerts.urls")
mount_pages("", "ruta.alerts.public_urls")
mount_api("ruta.api.alerts")

menu_entry(
    NavItem(
        "alerts:queue",
        _("Alerts"),
        AlertPermission.VIEW,
        _("The triage queue: alerts by priority and deadline."),
        order=40,
    )
)

menu_entry(
    NavItem(
        "alerts:new",
        _("New alert"),
        AlertPermission.CREATE,
        _("Record an alert from a community network, an NGO, a municipality or an inspection."),
        order=50,
    )
)

menu_entry(
    NavItem(
        "alerts:hotline",
        _("Hotline 145"),
        AlertPermission.HOTLINE_LOG,
        _("Log calls to the national line; repeat callers are recognised."),
        order=60,
    )
)


P, S = AlertPermission, Scope
grant_table(
    {
        "duty_officer": {P.VIEW: S.NATIONAL, P.TRIAGE: S.NATIONAL},
        "hotline_operator": {P.CREATE: S.OWN, P.HOTLINE_LOG: S.OWN, P.VIEW: S.OWN},
        "community_reporter": {P.CREATE: S.OWN, P.VIEW: S.OWN},
        "eri_responder": {P.CREATE: S.OWN, P.VIEW: S.TERRITORY, P.TRIAGE: S.TERRITORY},
        "caseworker": {P.CREATE: S.OWN},
        "supervisor": {P.VIEW: S.INSTITUTION, P.TRIAGE: S.INSTITUTION},
        # ERI supervisors oversee every alert of their territory, assigned or not.
        "eri_supervisor": {P.VIEW: S.TERRITORY, P.TRIAGE: S.TERRITORY},
        "labour_inspector": {P.CREATE: S.OWN, P.VIEW: S.OWN},
    }
)
honour_in_emergency(AlertPermission.VIEW)
