from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.geo.models import Department, Municipality
from ruta.institutions.models import InstitutionType, ServiceCategory


class DirectoryFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False, to_field_name="code"
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.select_related("department"),
        required=False,
        to_field_name="code",
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=ServiceCategory.objects.filter(is_active=True),
        required=False,
        to_field_name="code",
    )
    type = forms.ChoiceField(label=_("Type"), choices=[("", _("Any")), *InstitutionType.choices], required=False)
