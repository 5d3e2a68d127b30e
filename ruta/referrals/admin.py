from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ruta.core.admin_forms import duration_text
from ruta.core.admin_site import ConfigurationAdmin
from ruta.core.http import acting_user
from ruta.policy.permissions import PlatformPermission
from ruta.referrals.deadlines import deadline_rule_save
from ruta.referrals.models import ReferralDeadlineRule


@admin.register(ReferralDeadlineRule)
class ReferralDeadlineRuleAdmin(ConfigurationAdmin):
    """Deadlines by urgency; every change goes through the service (audit-logged)."""

    ruta_permission = PlatformPermission.CONFIG_MANAGE
    list_display = ["urgency", "accept", "complete", "updated_at"]

    @admin.display(description=_("accept or decline within"))
    def accept(self, obj: ReferralDeadlineRule) -> str:
        return duration_text(obj.accept_within)

    @admin.display(description=_("complete within (from sending)"))
    def complete(self, obj: ReferralDeadlineRule) -> str:
        return duration_text(obj.complete_within)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        deadline_rule_save(actor=acting_user(request), rule=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
