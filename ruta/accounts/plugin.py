"""What the accounts app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages

mount_pages("accounts/", "ruta.accounts.urls")

menu_entry(
    NavItem(
        "accounts:security",
        _("My account"),
        None,
        _("Your second factor, recovery codes, password and sessions."),
        order=150,
    )
)
