"""The capacity grid is data: administrators edit its dimensions and each level's descriptor here.
Nothing about workshop participants is shown in the back office."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ruta.baseline.models import CapacityDimension, CapacityLevel
from ruta.core.admin_site import ConfigurationAdmin
from ruta.policy.access import has_perm
from ruta.policy.permissions import PlatformPermission


class CapacityLevelInline(admin.TabularInline):  # type: ignore[type-arg]
    """The scale of a dimension: a score and its descriptor per language (``{"es": …, "en": …}``)."""

    model = CapacityLevel
    extra = 0
    fields = ["value", "labels"]

    def _allowed(self, request: HttpRequest) -> bool:
        return has_perm(request.user, PlatformPermission.CONFIG_MANAGE)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


@admin.register(CapacityDimension)
class CapacityDimensionAdmin(ConfigurationAdmin):
    list_display = ["label", "code", "sort_order", "is_active"]
    inlines = [CapacityLevelInline]
