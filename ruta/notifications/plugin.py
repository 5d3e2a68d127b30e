"""What the notifications app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages

mount_pages("notifications/", "ruta.notifications.urls")

menu_entry(
    NavItem(
        "notifications:list",
        _("Notifications"),
        None,
        _("Deadlines, escalations and referrals that need you."),
        order=140,
    )
)
