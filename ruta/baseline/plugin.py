"""What the baseline study brings to Ruta: see ``ruta.core.plugins``.

The roles ``study_coordinator`` and ``enumerator`` are declared by the instruments app (installed
before this one); this app grants them its own permissions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.baseline import access_rules  # noqa: F401 - registers the access rules
from ruta.baseline.permissions import BaselinePermission
from ruta.baseline.statistics import INITIATIVES, WORKSHOP_PARTICIPANTS
from ruta.core.defaults import default_catalogue
from ruta.core.indicators import register_indicator
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.policy.roles import Scope, grant_table

mount_pages("baseline/", "ruta.baseline.urls")
mount_api("ruta.baseline.api")
default_catalogue("baseline.CapacityDimension", "ruta.baseline.migrations.0002_capacity_grid", "load")
register_indicator(INITIATIVES)
register_indicator(WORKSHOP_PARTICIPANTS)

P, S = BaselinePermission, Scope
menu_entry(
    NavItem(
        "baseline:studies",
        _("Baseline study"),
        P.VIEW,
        _("Baseline, midline and endline rounds: workshops, capacity scores, findings and reports."),
        order=630,
    )
)
menu_entry(
    NavItem(
        "baseline:actor_map",
        _("Actor map"),
        P.VIEW,
        _("Initiatives by pillar and who works with whom: declared links and referrals made in Ruta."),
        order=640,
    )
)
menu_entry(
    NavItem(
        "baseline:workshops",
        _("Workshops"),
        P.RECORD,
        _("Register workshop participants and record their sign-in at each session."),
        order=635,
    )
)

grant_table(
    {
        "study_coordinator": {
            P.VIEW: S.NATIONAL,
            P.MANAGE: S.NATIONAL,
            P.RECORD: S.NATIONAL,
            P.PARTICIPANTS: S.NATIONAL,
        },
        # Field staff sign participants in at the workshops held in their territory.
        "enumerator": {P.RECORD: S.TERRITORY, P.PARTICIPANTS: S.TERRITORY},
        "analyst": {P.VIEW: S.NATIONAL},
        "administrator": {P.VIEW: S.NATIONAL},
    }
)
