"""What the audit app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.audit import selectors, triggers  # noqa: F401 - selectors registers access rules
from ruta.core.flush import lift_for_flush
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages
from ruta.policy.permissions import PlatformPermission

mount_pages("audit/", "ruta.audit.urls")
lift_for_flush(lift=triggers.remove, restore=triggers.install)

menu_entry(
    NavItem(
        "audit:list",
        _("Audit log"),
        PlatformPermission.AUDIT_VIEW,
        _("Who read or changed which record, and when."),
        order=110,
    )
)
