"""What the core app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from typing import cast

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ruta.core.admin_site import RutaAdminSite
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_pages

mount_pages("", "ruta.core.urls")

# The back-office is open to holders of any permission its model admins name. The admin app is
# installed first, so every app's admin module has registered by the time plugins load.
# Ruta's admin site is the default one (core.apps.RutaAdminConfig); cast rather than assert, which -O strips.
_site = cast(RutaAdminSite, admin.site)
menu_entry(
    NavItem(
        "admin:index",
        _("Administration"),
        tuple(sorted(_site.ruta_permissions())),
        _("Catalogues, institutions, territories, users, deadlines and rules."),
        order=900,
    )
)
