from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.admin_site import ConfigurationAdmin
from ruta.policy.permissions import PlatformPermission
from ruta.security.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(ConfigurationAdmin):
    ruta_permission = PlatformPermission.CONFIG_MANAGE
    list_display = ["policy", "keep_days", "is_active", "last_run_at", "last_run_count"]
    fields = ["policy", "keep_days", "is_active", "last_run_at", "last_run_count"]
    readonly_fields = ["policy", "last_run_at", "last_run_count"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # policies are code; administrators set their periods

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.CONFIG,
            obj=obj,
            summary=f"retention rule {obj.policy}: {obj.keep_days} days, active={obj.is_active}",
        )
