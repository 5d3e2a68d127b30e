"""What the instruments app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.instruments import access_rules  # noqa: F401 - registers the access rules
from ruta.instruments.permissions import InstrumentPermission
from ruta.policy.roles import Scope, declare_role, grant_table

mount_pages("instruments/", "ruta.instruments.urls")
mount_api("ruta.instruments.api")

declare_role(
    "study_coordinator",
    _("Study coordinator"),
    _("Runs baseline, midline and endline studies: instruments, field collection, workshops, findings."),
)
declare_role(
    "enumerator",
    _("Enumerator"),
    _("Fills in the study's questionnaires in Ruta or in ODK Collect / KoBoCollect."),
)

menu_entry(
    NavItem(
        "instruments:list",
        _("Instruments"),
        (InstrumentPermission.MANAGE, InstrumentPermission.SUBMIT, InstrumentPermission.VIEW_SUBMISSIONS),
        _("Questionnaires (XLSForms) and the answers collected with them."),
        order=620,
    )
)

P, S = InstrumentPermission, Scope
grant_table(
    {
        "study_coordinator": {
            P.MANAGE: S.NATIONAL,
            P.SUBMIT: S.INSTITUTION,
            P.VIEW_SUBMISSIONS: S.INSTITUTION,
            P.IMPORT: S.INSTITUTION,
        },
        "enumerator": {P.SUBMIT: S.INSTITUTION, P.VIEW_SUBMISSIONS: S.OWN},
    }
)
