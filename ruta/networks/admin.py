from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ruta.core.admin_site import ConfigurationAdmin
from ruta.networks.models import RiskFactor, ThreatType
from ruta.policy.permissions import PlatformPermission


@admin.register(ThreatType)
class ThreatTypeAdmin(ConfigurationAdmin):
    ruta_permission = PlatformPermission.CONFIG_MANAGE
    list_display = ["code", "label", "sort_order", "is_active"]


@admin.register(RiskFactor)
class RiskFactorAdmin(ConfigurationAdmin):
    """The weights of the risk picture: data the commission calibrates."""

    ruta_permission = PlatformPermission.CONFIG_MANAGE
    list_display = ["code", "label", "source", "weight", "saturation", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
