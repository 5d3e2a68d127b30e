from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.competencies.models import Competency, Framework, ProficiencyLevel
from ruta.competencies.services import RatingInput

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PREFIX = "competency_"


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("The layout of the exported files: download one to see it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."), code="too_big")
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Send an XLSX or CSV file."), code="invalid_type")
        return upload


class AssessmentForm(forms.Form):
    """One radio group per competency (its options are the scale's levels, with their descriptors)."""

    assessed_on = forms.DateField(
        label=_("Date of the assessment"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    round_label = forms.CharField(
        label=_("Round (optional)"), max_length=80, required=False, help_text=_("For example: baseline 2026.")
    )

    def __init__(
        self,
        *args: Any,
        framework: Framework,
        initial_levels: dict[int, int] | None = None,
        with_date: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not with_date:
            del self.fields["assessed_on"]
            del self.fields["round_label"]
        levels = list(ProficiencyLevel.objects.filter(framework=framework).order_by("level"))
        self.competencies: list[Competency] = list(
            framework.competencies.select_related("domain").prefetch_related("level_descriptors").order_by("order")
        )
        for competency in self.competencies:
            overrides = {item.level: item.descriptor for item in competency.level_descriptors.all()}
            choices = [
                (str(level.level), _option_label(level, overrides.get(level.level) or level.descriptor))
                for level in levels
            ]
            self.fields[f"{PREFIX}{competency.pk}"] = forms.ChoiceField(
                label=competency.label,
                help_text=competency.description,
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                initial=str((initial_levels or {}).get(competency.pk, "")),
            )

    def rating_fields(self) -> list[tuple[Competency, forms.BoundField]]:
        return [(competency, self[f"{PREFIX}{competency.pk}"]) for competency in self.competencies]

    def ratings(self) -> dict[int, RatingInput]:
        return {
            competency.pk: RatingInput(level=int(value))
            for competency in self.competencies
            if (value := self.cleaned_data.get(f"{PREFIX}{competency.pk}"))
        }


def _option_label(level: ProficiencyLevel, descriptor: str) -> str:
    return f"{level.level} — {level.label}: {descriptor}" if descriptor else f"{level.level} — {level.label}"


class HeatmapForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.all(), to_field_name="code", required=False
    )
    by = forms.ChoiceField(
        label=_("Rows"),
        choices=[("institution", _("Institution")), ("department", _("Department"))],
        required=False,
    )
