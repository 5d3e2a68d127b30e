"""Form fields for the back-office, so administrators never type JSON or ISO durations:
one text box per language for a catalogue label, and a duration as a number of hours or days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

HOURS, DAYS = "hours", "days"
UNIT_CHOICES = [(HOURS, _("hours")), (DAYS, _("days"))]
UNIT_LENGTH = {HOURS: timedelta(hours=1), DAYS: timedelta(days=1)}


def label_field_name(language: str) -> str:
    return f"label_{language}"


LABEL_FIELDS = [label_field_name(code) for code, _name in settings.LANGUAGES]


class TranslatedLabelsForm(forms.ModelForm):  # type: ignore[type-arg]
    """Edits ``TranslatedLabelsMixin.labels`` as one text field per language of the site. Languages
    stored in the JSON but no longer offered by the site are kept as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.labels or {}
        for code, _name in settings.LANGUAGES:
            name = label_field_name(code)
            if name in self.fields:
                self.fields[name].initial = stored.get(code, "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        labels = dict(self.instance.labels or {})
        for code, _name in settings.LANGUAGES:
            name = label_field_name(code)
            if name not in self.fields:
                continue
            value = (cleaned.get(name) or "").strip()
            if value:
                labels[code] = value
            else:
                labels.pop(code, None)
        self.instance.labels = labels
        return cleaned


for _code, _language in settings.LANGUAGES:
    TranslatedLabelsForm.base_fields[label_field_name(_code)] = TranslatedLabelsForm.declared_fields[
        label_field_name(_code)
    ] = forms.CharField(label=format_lazy("{} ({})", _("Label"), _language), required=False, max_length=300)


class HoursOrDaysWidget(forms.MultiWidget):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.NumberInput(attrs={"min": 1, "step": 1}), forms.Select(choices=UNIT_CHOICES)], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if not isinstance(value, timedelta):
            return [None, HOURS]
        if value and value % UNIT_LENGTH[DAYS] == timedelta():
            return [value // UNIT_LENGTH[DAYS], DAYS]
        # Deadlines are kept in whole hours; a stray remainder is shown rounded up, never shortened.
        return [-(-value // UNIT_LENGTH[HOURS]), HOURS]


class HoursOrDaysField(forms.MultiValueField):
    """A ``DurationField`` entered as a whole number of hours or of days."""

    widget = HoursOrDaysWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)
        fields = (
            forms.IntegerField(min_value=1, max_value=24 * 366),
            forms.ChoiceField(choices=UNIT_CHOICES),
        )
        super().__init__(fields, require_all_fields=True, **kwargs)

    def compress(self, data_list: list[Any]) -> timedelta | None:
        if not data_list:
            return None
        amount, unit = data_list
        return int(amount) * UNIT_LENGTH[unit]


def duration_text(value: timedelta | None) -> str:
    """A deadline as people say it: "3 days", "4 hours" (lists in the back-office)."""
    if value is None:
        return "—"
    amount, unit = HoursOrDaysWidget().decompress(value)
    if unit == DAYS:
        return ngettext("%(n)d day", "%(n)d days", amount) % {"n": amount}
    return ngettext("%(n)d hour", "%(n)d hours", amount) % {"n": amount}
