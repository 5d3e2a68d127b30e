from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ruta.core.admin_site import ConfigurationAdmin
from ruta.policy.permissions import PlatformPermission
from ruta.referrals.models import ReferralDeadlineRule
from ruta.referrals.services import deadline_rule_save


@admin.register(ReferralDeadlineRule)
class ReferralDeadlineRuleAdmin(ConfigurationAdmin):
    """Deadlines by urgency; every change goes through the service (audit-logged)."""

    ruta_permission = PlatformPermission.CONFIG_MANAGE
    list_display = ["urgency", "accept_within", "complete_within", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        deadline_rule_save(actor=request.user, rule=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
