"""What the security app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages
from ruta.policy.permissions import PlatformPermission

mount_pages("security/", "ruta.security.urls")

menu_entry(
    NavItem(
        "security:exports",
        _("Exports"),
        PlatformPermission.EXPORT_AGGREGATE,
        _("Download aggregated counts (small cells suppressed), with a stated purpose."),
        order=120,
    )
)

menu_entry(
    NavItem(
        "security:break_glass",
        _("Emergency access"),
        PlatformPermission.BREAK_GLASS,
        _("Open one record outside your scope, with a reason; the commission is told."),
        order=130,
    )
)
