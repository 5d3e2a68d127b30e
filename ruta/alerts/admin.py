"""Administrators edit the early-warning configuration here: signals' labels and flags, deadlines per
priority, the priority rules and the messaging channels. Alerts themselves are not edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruta.alerts.models import CommunitySignal, MessagingChannel, PriorityLevel, PriorityRule
from ruta.alerts.rapidpro import hash_secret
from ruta.core.admin_site import ConfigurationAdmin


@admin.register(CommunitySignal)
class CommunitySignalAdmin(ConfigurationAdmin):
    list_display = ["code", "group", "is_danger", "is_active", "label"]
    list_editable = ["is_danger", "is_active"]
    fields = ["code", "group", "is_danger", "is_active", "sort_order", "labels"]

    def get_readonly_fields(self, request: HttpRequest, obj: CommunitySignal | None = None) -> list[str]:
        return ["code"] if obj else []  # codes are fixed: integrations and tests use them

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PriorityLevel)
class PriorityLevelAdmin(ConfigurationAdmin):
    list_display = ["code", "label", "acknowledge_within", "first_response_within"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PriorityRule)
class PriorityRuleAdmin(ConfigurationAdmin):
    list_display = [
        "code",
        "priority",
        "order",
        "requires_happening_now",
        "requires_child",
        "requires_danger_signal",
        "any_of_signals",
        "min_signals",
        "min_groups",
        "is_active",
    ]
    list_filter = ["priority", "is_active"]


@admin.register(MessagingChannel)
class MessagingChannelAdmin(ConfigurationAdmin):
    list_display = ["code", "name", "is_active", "created_at"]
    actions = ["rotate_secret"]

    def save_model(self, request: HttpRequest, obj: MessagingChannel, form: Any, change: bool) -> None:
        if not change:
            import secrets

            secret = secrets.token_urlsafe(32)
            obj.secret_hash = hash_secret(secret)
            messages.warning(request, _("Secret (shown once): %(secret)s") % {"secret": secret})
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Rotate the secret (shown once)"))
    def rotate_secret(self, request: HttpRequest, queryset: Any) -> None:
        import secrets

        for channel in queryset:
            secret = secrets.token_urlsafe(32)
            channel.secret_hash = hash_secret(secret)
            channel.save(update_fields=["secret_hash"])
            messages.warning(request, f"{channel.code}: {secret}")
