"""What labour inspection brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.alerts.priority import register_rule_label
from ruta.core.defaults import default_catalogue
from ruta.core.indicators import register_indicator
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.deadlines.registry import register_deadline
from ruta.inspections import access_rules  # noqa: F401 - registers the access rules
from ruta.inspections.deadlines import FOLLOW_UP_DEADLINE, REMEDY_DEADLINE
from ruta.inspections.handover import INSPECTION_RULE_LABELS
from ruta.inspections.permissions import InspectionPermission
from ruta.inspections.statistics import HANDOVERS, INSPECTIONS_BY_TYPE
from ruta.policy.roles import Scope, declare_role, grant_table

mount_pages("inspections/", "ruta.inspections.urls")
mount_pages("inspections/field/", "ruta.inspections.field_urls")
mount_api("ruta.inspections.api")
# Sectors, the default protocols, risk factors and example legal bases come back after a flush.
default_catalogue("inspections.Sector", "ruta.inspections.migrations.0002_defaults", "forwards")
register_deadline(REMEDY_DEADLINE)
register_deadline(FOLLOW_UP_DEADLINE)
register_indicator(INSPECTIONS_BY_TYPE)
for _code, _label in INSPECTION_RULE_LABELS.items():
    register_rule_label(_code, _label)
register_indicator(HANDOVERS)

declare_role(
    "inspection_supervisor",
    _("Inspection supervisor"),
    _("Plans the inspections of an inspectorate or territory, assigns them and follows their deadlines."),
)
declare_role(
    "inspection_director",
    _("National inspection director"),
    _("Oversees labour inspection nationwide: plans, visits, findings and hand-overs."),
)

P, S = InspectionPermission, Scope
grant_table(
    {
        "labour_inspector": {
            P.VIEW: S.TEAM,
            P.RECORD: S.TEAM,
            P.INTERVIEW_IDENTITY: S.TEAM,
            P.ESTABLISHMENT_VIEW: S.INSTITUTION,
            P.ESTABLISHMENT_MANAGE: S.INSTITUTION,
        },
        "inspection_supervisor": {
            P.VIEW: S.INSTITUTION,
            P.PLAN: S.INSTITUTION,
            P.INTERVIEW_IDENTITY: S.INSTITUTION,
            P.ESTABLISHMENT_VIEW: S.INSTITUTION,
            P.ESTABLISHMENT_MANAGE: S.INSTITUTION,
            P.ESCALATION_RECEIVE: S.INSTITUTION,
        },
        "inspection_director": {
            P.VIEW: S.NATIONAL,
            P.PLAN: S.NATIONAL,
            P.ESTABLISHMENT_VIEW: S.NATIONAL,
            P.ESTABLISHMENT_MANAGE: S.NATIONAL,
        },
        # Told of hand-overs in their territory (a liaison without territory covers the country).
        "legal_liaison": {P.HANDOVER_RECEIVE: S.TERRITORY},
        # Child protection (SENAF) staff are told when an inspection finds a child working.
        "caseworker": {P.CHILD_NOTICE_RECEIVE: S.TERRITORY},
        "supervisor": {P.CHILD_NOTICE_RECEIVE: S.TERRITORY},
    }
)

menu_entry(
    NavItem(
        "inspections:plan",
        _("Inspection plan"),
        P.PLAN,
        _("The workplaces most at risk in a territory, ranked; plan and assign visits."),
        order=150,
    )
)
menu_entry(
    NavItem(
        "inspections:visits",
        _("Inspection visits"),
        P.VIEW,
        _("Planned, ongoing and completed labour inspections, with their findings and hand-overs."),
        order=151,
    )
)
menu_entry(
    NavItem(
        "inspections:establishments",
        _("Workplaces"),
        P.ESTABLISHMENT_VIEW,
        _("The registry of workplaces with their risk score and inspection history."),
        order=152,
    )
)
