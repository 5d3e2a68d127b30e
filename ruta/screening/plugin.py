"""What the screening app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.policy.roles import Scope, grant_table
from ruta.screening import selectors  # noqa: F401 - registers access rules
from ruta.screening.permissions import ScreeningPermission

mount_pages("screening/", "ruta.screening.urls")
mount_api("ruta.api.screening")

menu_entry(
    NavItem(
        "screening:calculator",
        _("Screening"),
        ScreeningPermission.RUN,
        _("Check a situation against the ILO–EC indicators of trafficking."),
        order=80,
    )
)

menu_entry(
    NavItem(
        "screening:catalogue",
        _("Indicator catalogue"),
        ScreeningPermission.CATALOGUE_MANAGE,
        _("Screening indicator lists, their sources and verification status; import official lists."),
        order=90,
    )
)


P, S = ScreeningPermission, Scope
grant_table(
    {
        "administrator": {P.CATALOGUE_MANAGE: S.NATIONAL},
        "duty_officer": {P.RUN: S.NATIONAL},
        "eri_responder": {P.RUN: S.TERRITORY},
        "caseworker": {P.RUN: S.TEAM},
        "supervisor": {P.RUN: S.INSTITUTION},
        "eri_supervisor": {P.RUN: S.TERRITORY},
        "labour_inspector": {P.RUN: S.OWN},
    }
)
