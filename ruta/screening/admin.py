"""Django admin for the catalogue: administrators edit rows, labels and the rule table here. Every
save goes through ``catalogue_object_save`` (validation, version bump, audit)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ruta.core.admin_site import ConfigurationAdmin
from ruta.core.http import acting_user
from ruta.screening.errors import RuleTableError
from ruta.screening.models import Dimension, Indicator, IndicatorList, LabelStatus, RuleTable
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


def label_status_field_name(language: str) -> str:
    return f"label_status_{language}"


class LabelStatusForm(forms.ModelForm):  # type: ignore[type-arg]
    """``label_status`` (how far each language's label can be trusted) as one choice per language of the
    site, instead of JSON; languages stored but no longer offered are kept as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.label_status or {}
        for code, _name in settings.LANGUAGES:
            self.fields[label_status_field_name(code)].initial = stored.get(code, LabelStatus.SOURCE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = dict(self.instance.label_status or {})
        for code, _name in settings.LANGUAGES:
            value = cleaned.get(label_status_field_name(code))
            if value:
                status[code] = value
        self.instance.label_status = status
        return cleaned


for _code, _language in settings.LANGUAGES:
    LabelStatusForm.base_fields[label_status_field_name(_code)] = LabelStatusForm.declared_fields[
        label_status_field_name(_code)
    ] = forms.ChoiceField(
        label=format_lazy("{} ({})", _("Label status"), _language), choices=LabelStatus.choices, required=True
    )


class IndicatorForm(LabelStatusForm):
    """The forced-labour rows' mapping to dimensions as checkboxes and their related ILO–EC codes as a list
    of codes, each checked against the catalogue."""

    mapped_dimensions = forms.MultipleChoiceField(
        label=_("Mapped dimensions"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    related_codes = forms.CharField(
        label=_("Related ILO–EC indicators"),
        required=False,
        help_text=_("Indicator codes separated by commas, e.g. THB-AL-DR-01, THB-AL-EX-02."),
    )

    class Meta:
        model = Indicator
        fields = [
            "labels",
            "indicator_list",
            "code",
            "dimension",
            "mapped_dimensions",
            "related_codes",
            "strength",
            "source",
            "verified",
            "note",
            "is_active",
            "position",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = list(Dimension.objects.values_list("code", flat=True)) or list(DEFAULT_DIMENSIONS)
        cast(forms.MultipleChoiceField, self.fields["mapped_dimensions"]).choices = [(code, code) for code in codes]
        self.initial["mapped_dimensions"] = list(self.instance.mapped_dimensions or [])
        self.initial["related_codes"] = ", ".join(self.instance.related_codes or [])

    def clean_related_codes(self) -> list[str]:
        codes = [part.strip() for part in (self.cleaned_data.get("related_codes") or "").split(",") if part.strip()]
        known = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValidationError(
                _("Not in the catalogue: %(codes)s.") % {"codes": ", ".join(unknown)}, code="unknown_codes"
            )
        return codes


@admin.register(IndicatorList)
class IndicatorListAdmin(CatalogueAdmin):
    list_display = ["code", "kind", "age_group", "exploitation", "verification", "origin", "version"]
    readonly_fields = ["version", "imported_at", "imported_by", "origin"]


class DimensionForm(LabelStatusForm):
    class Meta:
        model = Dimension
        fields = ["labels", "code", "source", "position"]


@admin.register(Dimension)
class DimensionAdmin(CatalogueAdmin):
    form = DimensionForm
    list_display = ["code", "label", "position"]


@admin.register(Indicator)
class IndicatorAdmin(CatalogueAdmin):
    form = IndicatorForm
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
