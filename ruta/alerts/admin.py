"""Administrators edit the early-warning configuration here: signals' labels and flags, deadlines per
priority, the priority rules and the messaging channels. Alerts themselves are not edited here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruta.alerts.models import CommunitySignal, MessagingChannel, PriorityLevel, PriorityRule
from ruta.alerts.rapidpro import hash_secret
from ruta.core.admin_forms import duration_text
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
    list_display = ["code", "label", "acknowledge", "first_response"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("acknowledge within"))
    def acknowledge(self, obj: PriorityLevel) -> str:
        return duration_text(obj.acknowledge_within)

    @admin.display(description=gettext_lazy("first response within"))
    def first_response(self, obj: PriorityLevel) -> str:
        return duration_text(obj.first_response_within)


class PriorityRuleForm(forms.ModelForm):  # type: ignore[type-arg]
    """The rule's signals are ticked from the catalogue, not typed as a JSON list of codes."""

    any_of_signals = forms.MultipleChoiceField(
        label=gettext_lazy("at least one of these signals"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PriorityRule
        fields = [
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["any_of_signals"].choices = [  # type: ignore[attr-defined]
            (signal.code, str(signal)) for signal in CommunitySignal.objects.order_by("sort_order", "code")
        ]


@admin.register(PriorityRule)
class PriorityRuleAdmin(ConfigurationAdmin):
    form = PriorityRuleForm
    list_display = [
        "code",
        "priority",
        "order",
        "requires_happening_now",
        "requires_child",
        "requires_danger_signal",
        "signals",
        "min_signals",
        "min_groups",
        "is_active",
    ]
    list_filter = ["priority", "is_active"]

    @admin.display(description=gettext_lazy("at least one of these signals"))
    def signals(self, obj: PriorityRule) -> str:
        return ", ".join(obj.any_of_signals) or "—"


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
