"""The ministry's data, edited without code: the protocol (new versions when one in use is edited),
sectors' risk weights, the risk factors, legal bases and the indicator → signal table."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.admin_site import ConfigurationAdmin
from ruta.core.http import acting_user
from ruta.inspections.models import IndicatorSignal, LegalBasis, Protocol, ProtocolStep, RiskFactor, Sector
from ruta.inspections.protocols import protocol_in_use, protocol_new_version
from ruta.policy.permissions import PlatformPermission


class InspectionConfigurationAdmin(ConfigurationAdmin):
    """Edited in the back office by the administrators (for the ministry), every change audited."""

    ruta_permission = PlatformPermission.CONFIG_MANAGE

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=acting_user(request),
            action=AuditAction.CONFIG,
            obj=obj,
            summary=f"{obj._meta.verbose_name} {obj} {'edited' if change else 'created'} in admin",
            changes={"fields": list(form.changed_data)},
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProtocolStepInline(admin.StackedInline):  # type: ignore[type-arg]
    model = ProtocolStep
    extra = 0
    fields = ["position", "code", "labels", "guidance", "required_evidence", "competency_codes", "required"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not protocol_in_use(obj)

    has_add_permission = has_change_permission  # type: ignore[assignment]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not protocol_in_use(obj)


@admin.register(Protocol)
class ProtocolAdmin(InspectionConfigurationAdmin):
    """A version that visits followed is read-only: "Create a new version" copies it as the type's
    current protocol, to edit; visits keep the version they followed."""

    list_display = ["inspection_type", "version", "is_current", "created_at"]
    list_filter = ["inspection_type", "is_current"]
    readonly_fields = ["inspection_type", "version", "is_current", "created_at"]
    fields = ["inspection_type", "version", "is_current", "note", "created_at"]
    inlines = [ProtocolStepInline]
    actions = ["new_version"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or not protocol_in_use(obj))

    @admin.action(description=_("Create a new version to edit"))
    def new_version(self, request: HttpRequest, queryset: QuerySet[Protocol]) -> None:
        for protocol in queryset:
            created = protocol_new_version(actor=acting_user(request), protocol=protocol)
            messages.success(request, _("%(protocol)s created.") % {"protocol": created})


@admin.register(Sector)
class SectorAdmin(InspectionConfigurationAdmin):
    list_display = ["code", "label", "level", "risk_weight", "is_active"]
    list_filter = ["level", "section", "is_active"]
    search_fields = ["code"]


@admin.register(RiskFactor)
class RiskFactorAdmin(InspectionConfigurationAdmin):
    list_display = ["code", "label", "points", "cap", "window_days"]


@admin.register(LegalBasis)
class LegalBasisAdmin(InspectionConfigurationAdmin):
    list_display = ["code", "label", "citation", "is_example", "is_active"]
    list_filter = ["is_example", "is_active"]


@admin.register(IndicatorSignal)
class IndicatorSignalAdmin(InspectionConfigurationAdmin):
    list_display = ["indicator_code", "signal_code"]
