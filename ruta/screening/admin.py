"""Django admin for the catalogue: administrators edit rows, labels and the rule table here. Every
save goes through ``catalogue_object_save`` (validation, version bump, audit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from ruta.core.admin_site import ConfigurationAdmin
from ruta.core.http import acting_user
from ruta.screening.errors import RuleTableError
from ruta.screening.models import Dimension, Indicator, IndicatorList, RuleTable
from ruta.screening.permissions import ScreeningPermission
from ruta.screening.rules import DEFAULT_DIMENSIONS, validate_rules
from ruta.screening.services import catalogue_object_save


class CatalogueAdmin(ConfigurationAdmin):
    """Open to holders of ``CATALOGUE_MANAGE``; rows are deactivated, never deleted."""

    ruta_permission = ScreeningPermission.CATALOGUE_MANAGE

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        catalogue_object_save(actor=acting_user(request), obj=obj, changed_fields=list(form.changed_data))


@admin.register(IndicatorList)
class IndicatorListAdmin(CatalogueAdmin):
    list_display = ["code", "kind", "age_group", "exploitation", "verification", "origin", "version"]
    readonly_fields = ["version", "imported_at", "imported_by", "origin"]


@admin.register(Dimension)
class DimensionAdmin(CatalogueAdmin):
    list_display = ["code", "label", "position"]


@admin.register(Indicator)
class IndicatorAdmin(CatalogueAdmin):
    list_display = ["code", "indicator_list", "dimension", "strength", "verified", "is_active"]
    list_filter = ["indicator_list", "dimension", "strength", "verified", "is_active"]
    search_fields = ["code"]
    list_select_related = ["indicator_list", "dimension"]


class RuleTableForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = RuleTable
        fields = ["code", "rules", "source", "verification", "verification_note"]

    def clean_rules(self) -> Any:
        rules = self.cleaned_data["rules"]
        try:
            validate_rules(rules, tuple(Dimension.objects.values_list("code", flat=True)) or DEFAULT_DIMENSIONS)
        except RuleTableError as exc:
            raise ValidationError(str(exc), code="invalid_rules") from exc
        return rules


@admin.register(RuleTable)
class RuleTableAdmin(CatalogueAdmin):
    form = RuleTableForm
    list_display = ["code", "verification", "version", "updated_at"]
    readonly_fields = ["version", "updated_at"]
