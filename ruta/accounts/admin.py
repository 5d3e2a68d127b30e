from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import Membership, User
from ruta.accounts.services import password_set_by_admin
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.admin_site import ConfigurationAdmin
from ruta.core.http import acting_user
from ruta.policy.permissions import PlatformPermission


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    fields = ["institution", "role", "department", "municipality", "is_active"]
    autocomplete_fields = ["institution"]


@admin.register(User)
class RutaUserAdmin(ConfigurationAdmin, UserAdmin):  # type: ignore[misc]
    ruta_permission = PlatformPermission.USER_MANAGE
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["is_active", "memberships__role", "memberships__institution"]
    # Superuser and Django permission flags are not how Ruta grants access: roles are.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "preferred_language")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.CONFIG,
            obj=obj,
            summary=f"user {'changed' if change else 'created'}: {', '.join(form.changed_data)}",
        )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's password page; a successful change is audited and the user is told (ASVS 2.2.3)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            saved = (
                request.method == "POST"
                and isinstance(response, HttpResponseRedirect)
                and response.url != request.get_full_path()  # Django's "conflicting data" answer
            )
            if saved:
                password_set_by_admin(
                    actor=acting_user(request), user=cast(User, self.get_object(request, unquote(id))), request=request
                )
        return response

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            audit_record(
                actor=request.user, action=AuditAction.CONFIG, obj=form.instance, summary="memberships changed"
            )
