from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ruta.security.break_glass import MIN_REASON, eligible_models
from ruta.security.exports import ExportKind


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to export"))
    purpose = forms.CharField(
        label=_("Purpose"),
        min_length=10,
        max_length=500,
        help_text=_("Why you need this export and who will receive it. It is kept in the audit log."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, kinds: list[ExportKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field: Any = self.fields["kind"]
        kind_field.choices = [(kind.code, kind.label) for kind in kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError(_("The start date is after the end date."), code="date_order")
        return data


class BreakGlassForm(forms.Form):
    object_type = forms.ChoiceField(label=_("Type of record"))
    identifier = forms.CharField(
        label=_("Reference"), max_length=64, help_text=_("The record's reference, e.g. C-2026-000123.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        min_length=MIN_REASON,
        max_length=2000,
        help_text=_("Why you must open this record now. The record's owner and the commission are told."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [  # type: ignore[attr-defined]
            (model._meta.label_lower, str(model._meta.verbose_name).capitalize()) for model in eligible_models()
        ]
