"""What the institutions app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages
from ruta.institutions import selectors  # noqa: F401 - registers access rules
from ruta.institutions.permissions import DirectoryPermission
from ruta.policy.roles import Scope, grant_table

mount_pages("directory/", "ruta.institutions.urls")

menu_entry(
    NavItem(
        "institutions:directory",
        _("Directory"),
        DirectoryPermission.VIEW,
        _("Institutions and services by territory: the referral directory."),
        order=70,
    )
)


P, S = DirectoryPermission, Scope
grant_table(
    {
        "administrator": {P.MANAGE: S.NATIONAL, P.VIEW: S.NATIONAL},
        **{
            code: {P.VIEW: S.NATIONAL}
            for code in (
                "duty_officer",
                "hotline_operator",
                "community_reporter",
                "eri_responder",
                "caseworker",
                "supervisor",
                "eri_supervisor",
                "labour_inspector",
                "legal_liaison",
                "analyst",
                "trainer",
            )
        },
    }
)
