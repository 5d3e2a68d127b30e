"""Frameworks are data: administrators edit them here (the back office is theirs alone); training
coordinators import them as spreadsheets (``spreadsheets.py``). Assessments are personal data and are
not shown here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ruta.competencies.models import (
    Competency,
    CompetencyDomain,
    CompetencyLevelDescriptor,
    Framework,
    ProficiencyLevel,
    TargetLevel,
)
from ruta.core.admin_site import ConfigurationAdmin
from ruta.policy.access import has_perm
from ruta.policy.permissions import PlatformPermission


class _ManagedInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0

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


class DomainInline(_ManagedInline):
    model = CompetencyDomain
    fields = ["code", "order", "labels"]


class LevelInline(_ManagedInline):
    model = ProficiencyLevel
    fields = ["level", "labels", "descriptor_labels"]


class TargetInline(_ManagedInline):
    model = TargetLevel
    fields = ["role", "competency", "level"]


class DescriptorInline(_ManagedInline):
    model = CompetencyLevelDescriptor
    fields = ["level", "descriptor_labels"]


@admin.register(Framework)
class FrameworkAdmin(ConfigurationAdmin):
    ruta_permission = PlatformPermission.CONFIG_MANAGE
    list_display = ["label", "code", "version", "status", "is_example"]
    list_filter = ["status", "is_example"]
    search_fields = ["code"]
    inlines = [DomainInline, LevelInline, TargetInline]


@admin.register(Competency)
class CompetencyAdmin(ConfigurationAdmin):
    ruta_permission = PlatformPermission.CONFIG_MANAGE
    list_display = ["label", "code", "framework", "domain", "order"]
    list_filter = ["framework"]
    search_fields = ["code"]
    inlines = [DescriptorInline]
