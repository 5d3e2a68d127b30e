"""What the competencies app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.competencies import selectors  # noqa: F401 - registers the access rules
from ruta.competencies.permissions import CompetencyPermission
from ruta.competencies.statistics import ASSESSMENTS_SUBMITTED
from ruta.core.defaults import default_catalogue
from ruta.core.indicators import register_indicator
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages
from ruta.policy.roles import Scope, declare_role, grant_table

# Training coordinators plan capacity building from the gaps. Their reach is a territorial grant: a
# membership with a department covers that department, one without covers the whole country.
declare_role(
    "training_coordinator",
    _("Training coordinator"),
    _("Competency frameworks, needs assessments and gap heat maps; plans courses where the gaps are."),
)

mount_pages("competencies/", "ruta.competencies.urls")
register_indicator(ASSESSMENTS_SUBMITTED)

menu_entry(
    NavItem(
        "competencies:mine",
        _("My competencies"),
        None,
        _("Assess yourself against your competency framework; your levels over time and your gaps."),
        order=600,
    )
)
menu_entry(
    NavItem(
        "competencies:frameworks",
        _("Competency frameworks"),
        None,
        _("Competencies, proficiency levels and target levels per role; spreadsheet import and export."),
        order=610,
    )
)
menu_entry(
    NavItem(
        "competencies:people",
        _("People's competencies"),
        (CompetencyPermission.ASSESS, CompetencyPermission.VIEW_ASSESSMENTS),
        _("Supervisor assessments and the gaps of the people you supervise or train."),
        order=620,
    )
)
menu_entry(
    NavItem(
        "competencies:heatmap",
        _("Competency gaps"),
        CompetencyPermission.HEATMAP,
        _("Mean gaps per institution or department and competency, to plan training where the gap is."),
        order=630,
    )
)

default_catalogue("competencies.Framework", "ruta.competencies.inspector_framework", "load")

P, S = CompetencyPermission, Scope
grant_table(
    {
        "training_coordinator": {
            P.FRAMEWORK_MANAGE: S.NATIONAL,
            P.ASSESS: S.TERRITORY,
            P.VIEW_ASSESSMENTS: S.TERRITORY,
            P.HEATMAP: S.TERRITORY,
        },
        "administrator": {P.FRAMEWORK_MANAGE: S.NATIONAL},
        # A person's institution supervisor rates them and reads their gaps.
        "supervisor": {P.ASSESS: S.INSTITUTION, P.VIEW_ASSESSMENTS: S.INSTITUTION, P.HEATMAP: S.INSTITUTION},
        "eri_supervisor": {P.ASSESS: S.INSTITUTION, P.VIEW_ASSESSMENTS: S.INSTITUTION, P.HEATMAP: S.INSTITUTION},
        "analyst": {P.HEATMAP: S.NATIONAL},
    }
)
