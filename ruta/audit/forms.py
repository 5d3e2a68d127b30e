from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.audit.models import AuditAction


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any")), *AuditAction.choices])
    object_type = forms.CharField(label=_("Record type"), required=False, max_length=64)
    object_reference = forms.CharField(label=_("Record reference"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
