"""Forms of the inspection pages: the plan's filters, planning and assigning visits, the workplace
registry and joint operations. Choices show labels, never codes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.geo.models import Department, Municipality
from ruta.inspections.models import Establishment, EstablishmentSize, InspectionType, Sector
from ruta.inspections.services import JOINT_PARTNER_TYPES
from ruta.institutions.models import Institution


class InspectorChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class PlanFilterForm(forms.Form):
    department = forms.ModelChoiceField(Department.objects.all(), label=_("Department"), required=False)
    municipality = forms.ModelChoiceField(
        Municipality.objects.select_related("department"), label=_("Municipality"), required=False
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        since = data.get("since") or today
        return since, data.get("until") or since + timedelta(days=30)


class PlanVisitsForm(forms.Form):
    """Plan visits to the establishments ticked in the ranked plan; a joint operation also names its
    partners (police, prosecutor, ERI)."""

    establishments = forms.ModelMultipleChoiceField(Establishment.objects.none(), label=_("Establishments"))
    inspection_type = forms.ChoiceField(
        choices=[
            (InspectionType.PROGRAMMED, InspectionType.PROGRAMMED.label),
            (InspectionType.COMPLAINT, InspectionType.COMPLAINT.label),
            (InspectionType.JOINT_OPERATION, InspectionType.JOINT_OPERATION.label),
        ],
        label=_("Inspection type"),
    )
    planned_for = forms.DateField(label=_("Planned for"), widget=forms.DateInput(attrs={"type": "date"}))
    inspector = InspectorChoice(User.objects.none(), label=_("Inspector"), required=False)
    operation_name = forms.CharField(label=_("Joint operation's name"), max_length=200, required=False)
    partners = forms.ModelMultipleChoiceField(
        Institution.objects.filter(type__in=JOINT_PARTNER_TYPES, is_active=True),
        label=_("Partner institutions"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, establishments: QuerySet[Establishment], inspectors: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["establishments"].queryset = establishments  # type: ignore[attr-defined]
        self.fields["inspector"].queryset = inspectors  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("inspection_type") == InspectionType.JOINT_OPERATION:
            if not data.get("operation_name"):
                self.add_error("operation_name", _("Name the joint operation."))
            if not data.get("partners"):
                self.add_error("partners", _("Choose the partner institutions."))
        return data


class AssignForm(forms.Form):
    inspector = InspectorChoice(User.objects.none(), label=_("Inspector"))

    def __init__(self, *args: Any, inspectors: QuerySet[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors  # type: ignore[attr-defined]


class SectorChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.label


class EstablishmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    tax_id = forms.CharField(label=_("Tax id (RTN)"), max_length=20, required=False)
    sector = SectorChoice(Sector.objects.filter(is_active=True), label=_("Economic sector"))
    municipality = forms.ModelChoiceField(Municipality.objects.select_related("department"), label=_("Municipality"))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    size = forms.ChoiceField(choices=EstablishmentSize.choices, label=_("Size"), initial=EstablishmentSize.UNKNOWN)
    workers = forms.IntegerField(label=_("Workers (approx.)"), min_value=0, required=False)
    confirm_new = forms.BooleanField(
        label=_("I checked: it is not one of the establishments already registered"), required=False
    )
