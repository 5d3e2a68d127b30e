"""What the local networks bring to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.defaults import default_catalogue
from ruta.core.indicators import register_indicator
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages
from ruta.deadlines.registry import register_deadline
from ruta.networks import access_rules  # noqa: F401 - registers access rules
from ruta.networks.escalation import FOLLOW_UP_DEADLINE
from ruta.networks.indicators import BULLETINS_SENT, THREATS_REPORTED
from ruta.networks.permissions import NetworkPermission
from ruta.policy.roles import Scope, declare_role, grant_table

declare_role(
    "network_coordinator",
    _("Local network coordinator"),
    _("Runs a municipal network: members, meetings, follow-up actions, threats and bulletins of its territory."),
)
declare_role(
    "municipal_focal_point",
    _("Municipal focal point"),
    _("Verifies the threats of the municipality, hears of its P1 alerts first and warns the network."),
)

mount_pages("networks/", "ruta.networks.urls")
mount_pages("n/", "ruta.networks.public_urls")
default_catalogue("networks.ThreatType", "ruta.networks.migrations.0002_default_catalogue", "load")
default_catalogue("networks.RiskFactor", "ruta.networks.migrations.0002_default_catalogue", "load")
register_deadline(FOLLOW_UP_DEADLINE)
register_indicator(THREATS_REPORTED)
register_indicator(BULLETINS_SENT)

menu_entry(
    NavItem(
        "networks:list",
        _("Local networks"),
        NetworkPermission.VIEW,
        _("Municipal early-warning networks: members, meetings, bulletins and what became of their alerts."),
        order=70,
    )
)
menu_entry(
    NavItem(
        "networks:threats",
        _("Threats"),
        (NetworkPermission.THREAT_VIEW, NetworkPermission.THREAT_REPORT),
        _("Places and patterns of trafficking risk reported by the networks."),
        order=71,
    )
)
menu_entry(
    NavItem(
        "networks:risk",
        _("Risk map"),
        NetworkPermission.RISK_VIEW,
        _("Risk by municipality: alerts, verified threats, inspections and vulnerability, with its trend."),
        order=72,
    )
)

P, S = NetworkPermission, Scope
TERRITORY_TEAM = {
    P.VIEW: S.TERRITORY,
    P.MEMBER_CONTACTS: S.TERRITORY,
    P.THREAT_REPORT: S.TERRITORY,
    P.THREAT_VIEW: S.TERRITORY,
    P.BULLETIN_SEND: S.TERRITORY,
    P.BULLETIN_VIEW: S.TERRITORY,
    P.RISK_VIEW: S.TERRITORY,
}
grant_table(
    {
        "network_coordinator": {**TERRITORY_TEAM, P.MANAGE: S.TERRITORY, P.ACTION_ESCALATION: S.TERRITORY},
        "municipal_focal_point": {**TERRITORY_TEAM, P.THREAT_VERIFY: S.TERRITORY, P.P1_ESCALATION: S.TERRITORY},
        # Members see their own networks and reports, and the risk of their territory.
        "community_reporter": {P.VIEW: S.OWN, P.THREAT_REPORT: S.OWN, P.THREAT_VIEW: S.OWN, P.RISK_VIEW: S.TERRITORY},
        # The commission sees every network; analysts only the aggregated risk picture.
        "duty_officer": {
            P.VIEW: S.NATIONAL,
            P.THREAT_VIEW: S.NATIONAL,
            P.BULLETIN_VIEW: S.NATIONAL,
            P.RISK_VIEW: S.NATIONAL,
        },
        "administrator": {
            P.VIEW: S.NATIONAL,
            P.MANAGE: S.NATIONAL,
            P.THREAT_VIEW: S.NATIONAL,
            P.BULLETIN_VIEW: S.NATIONAL,
            P.RISK_VIEW: S.NATIONAL,
        },
        "analyst": {P.RISK_VIEW: S.NATIONAL},
    }
)
