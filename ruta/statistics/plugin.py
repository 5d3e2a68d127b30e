"""What the statistics app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.indicators import register_indicator
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.policy.permissions import PlatformPermission
from ruta.policy.roles import Scope, declare_role, grant_table
from ruta.statistics.indicators import INDICATORS

mount_pages("statistics/", "ruta.statistics.urls")
mount_api("ruta.statistics.api")

for _indicator in INDICATORS:
    register_indicator(_indicator)

declare_role(
    "territorial_analyst",
    _("Territorial analyst"),
    _("Aggregated statistics of their department, small cells suppressed; never identities."),
)
P, S = PlatformPermission, Scope
grant_table(
    {
        "territorial_analyst": {P.STATS_VIEW: S.TERRITORY},
        # Supervisors see what their institution sent and received (the institutional dashboard).
        "supervisor": {P.STATS_VIEW: S.INSTITUTION},
        "eri_supervisor": {P.STATS_VIEW: S.INSTITUTION},
    }
)

menu_entry(
    NavItem(
        "statistics:dashboard",
        _("Statistics"),
        (P.STATS_VIEW,),
        _("Dashboards, maps and the commission's reports; aggregated figures only."),
        order=400,
    )
)
