"""The configuration back-office (Django admin), governed by Ruta's permissions, not Django's.

Administrators configure catalogues, institutions, territories, users, deadlines and rules here.
Only model admins built on ``ConfigurationAdmin`` are editable, each by the Ruta permission it
names; data about people (alerts, cases, persons…) is never exposed in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models.base import ModelBase
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ruta.institutions.permissions import DirectoryPermission
from ruta.policy.access import has_perm
from ruta.policy.permissions import Permission, PlatformPermission
from ruta.screening.permissions import ScreeningPermission

ADMIN_PERMISSIONS = (
    PlatformPermission.CONFIG_MANAGE,
    ScreeningPermission.CATALOGUE_MANAGE,
    DirectoryPermission.MANAGE,
    PlatformPermission.USER_MANAGE,
)


# Registered by third-party apps but not Ruta's way: roles are not Django groups, API tokens are
# issued by an audited command, and two-factor secrets must never be displayed.
NOT_IN_BACK_OFFICE = {"auth.group", "authtoken.tokenproxy", "otp_totp.totpdevice", "otp_static.staticdevice"}


class RutaAdminSite(admin.AdminSite):
    site_header = "Ruta"
    site_title = "Ruta"
    index_title = _("Configuration")

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models: list[Any] = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else list(model_or_iterable)
        kept = [model for model in models if model._meta.label_lower not in NOT_IN_BACK_OFFICE]
        if kept:
            super().register(kept, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and any(has_perm(user, permission) for permission in ADMIN_PERMISSIONS))


class ConfigurationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin editable by holders of ``ruta_permission`` (set it on the subclass)."""

    ruta_permission: Permission = PlatformPermission.CONFIG_MANAGE

    def _allowed(self, request: HttpRequest) -> bool:
        return has_perm(request.user, self.ruta_permission)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)
