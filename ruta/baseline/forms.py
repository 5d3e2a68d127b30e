"""Forms of the baseline pages: they validate input; the services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ruta.baseline.models import (
    CapacityDimension,
    Coverage,
    FindingKind,
    InitiativeKind,
    InitiativeStatus,
    LinkKind,
    Participant,
    Pillar,
    RoundKind,
    Sex,
    TargetGroup,
    Workshop,
)
from ruta.core.indicators import indicators
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.instruments.models import InstrumentVersion


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _institutions() -> QuerySet[Institution]:
    return Institution.objects.filter(is_active=True).order_by("name")


class InstitutionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class InstitutionsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class InstrumentsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.version})"


class StudyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Round"), choices=RoundKind.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    instruments = InstrumentsField(
        label=_("Instruments"),
        queryset=InstrumentVersion.objects.select_related("instrument").order_by("title", "version"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Territories (departments)"),
        queryset=Department.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    institutions = InstitutionsField(
        label=_("Institutions covered"),
        queryset=_institutions(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name"), required=False
    )
    sessions = forms.IntegerField(
        label=_("Sessions"),
        min_value=0,
        max_value=10,
        initial=2,
        help_text=_("One session per day is created; add more from the workshop page."),
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Session title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    institution = InstitutionChoiceField(label=_("Institution"), queryset=_institutions())
    position = forms.CharField(label=_("Role or position"), max_length=160)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name"), required=False
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Present"), queryset=Participant.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["present"]
        field.queryset = Participant.objects.filter(workshop=workshop).select_related("institution")
        field.label_from_instance = lambda participant: f"{participant.name} — {participant.institution.name}"


class OutputForm(forms.Form):
    group = forms.CharField(label=_("Group"), max_length=120)
    text = forms.CharField(label=_("What the group produced"), widget=forms.Textarea(attrs={"rows": 4}))


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    workshop = forms.ModelChoiceField(
        label=_("Agreed at the workshop"), queryset=Workshop.objects.none(), required=False
    )
    evidence = forms.MultipleChoiceField(
        label=_("Evidence"), choices=(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, workshops: QuerySet[Workshop], evidence: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops  # type: ignore[attr-defined]
        self.fields["evidence"].choices = evidence  # type: ignore[attr-defined]


class InitiativeForm(forms.Form):
    institution = InstitutionChoiceField(label=_("Institution"), queryset=_institutions())
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=InitiativeKind.choices)
    pillar = forms.ChoiceField(label=_("Pillar"), choices=Pillar.choices)
    target_group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    coverage = forms.ChoiceField(label=_("Coverage"), choices=Coverage.choices)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=InitiativeStatus.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    source = forms.CharField(label=_("Source"), max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("coverage") != Coverage.NATIONAL and not data.get("departments"):
            self.add_error("departments", _("Choose the departments it covers."))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("It cannot end before it starts."))
        return data


class InitiativeFilterForm(forms.Form):
    pillar = forms.ChoiceField(label=_("Pillar"), choices=[("", _("All")), *Pillar.choices], required=False)
    institution = InstitutionChoiceField(label=_("Institution"), queryset=_institutions(), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name"), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *InitiativeStatus.choices], required=False)


class LinkForm(forms.Form):
    source = InstitutionChoiceField(label=_("Institution"), queryset=_institutions())
    target = InstitutionChoiceField(label=_("Works with"), queryset=_institutions())
    kind = forms.ChoiceField(label=_("Kind of link"), choices=LinkKind.choices)


class AssessmentForm(forms.Form):
    """One radio group per dimension of the grid, its levels with their descriptors."""

    def __init__(self, *args: Any, dimensions: list[CapacityDimension], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dimension in dimensions:
            self.fields[dimension.code] = forms.TypedChoiceField(
                label=dimension.label,
                choices=[(level.value, f"{level.value} — {level.label}") for level in dimension.levels.all()],
                coerce=int,
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[CapacityDimension, int]:
        return {dimension: self.cleaned_data[dimension.code] for dimension in self.dimensions}


def statistic_choices() -> list[tuple[str, Any]]:
    return [("", _("None: type the actual values"))] + [
        (indicator.code, str(indicator.label)) for indicator in indicators()
    ]


class ResultIndicatorForm(forms.Form):
    title = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=60, required=False)
    baseline_value = forms.DecimalField(label=_("Baseline"), max_digits=12, decimal_places=2)
    target_value = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)
    statistic = forms.ChoiceField(label=_("Computed from"), choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["statistic"].choices = statistic_choices()  # type: ignore[attr-defined]


class ResultValueForm(forms.Form):
    value = forms.DecimalField(label=_("Actual value"), max_digits=12, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=300)
