from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.geo.models import Municipality
from ruta.institutions.models import Institution
from ruta.networks.models import BulletinKind, ContactChannel, MemberRole, ThreatType


class MunicipalityChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.department.name})"


def _municipalities() -> Any:
    return Municipality.objects.select_related("department").order_by("department__code", "name")


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    code = forms.SlugField(label=_("Short code (letters, digits, dashes)"), max_length=40)
    municipality = MunicipalityChoiceField(label=_("Seat municipality"), queryset=_municipalities())
    covers = forms.ModelMultipleChoiceField(
        label=_("Other municipalities it covers"), queryset=_municipalities(), required=False
    )


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    role = forms.ChoiceField(label=_("Role in the network"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    organisation_name = forms.CharField(label=_("Organisation (optional)"), max_length=160, required=False)
    institution = forms.ModelChoiceField(
        label=_("Registered institution (optional)"),
        queryset=Institution.objects.filter(is_active=True),
        required=False,
    )
    channel = forms.ChoiceField(label=_("Contact channel"), choices=ContactChannel.choices)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=30, required=False)
    consent_to_contact = forms.BooleanField(
        label=_("The member agrees to receive bulletins on this channel"), required=False
    )


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=160, required=False)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=0, max_value=500, initial=0)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    agreements = forms.CharField(label=_("Agreements"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    action_1 = forms.CharField(label=_("Follow-up action"), max_length=300, required=False)
    responsible_1 = forms.CharField(label=_("Responsible organisation"), max_length=160, required=False)
    due_1 = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    action_2 = forms.CharField(label=_("Another follow-up action"), max_length=300, required=False)
    responsible_2 = forms.CharField(label=_("Responsible organisation"), max_length=160, required=False)
    due_2 = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in (1, 2):
            if data.get(f"action_{number}") and not data.get(f"due_{number}"):
                self.add_error(f"due_{number}", _("Give the action a due date."))
            due = data.get(f"due_{number}")
            if data.get(f"action_{number}") and due and due < timezone.localdate():
                self.add_error(f"due_{number}", _("The due date is already past."))
        return data


class ThreatForm(forms.Form):
    threat_type = forms.ModelChoiceField(
        label=_("What kind of place or pattern"), queryset=ThreatType.objects.filter(is_active=True), empty_label=None
    )
    title = forms.CharField(
        label=_("Name of the place or pattern"),
        max_length=160,
        help_text=_("For example: the bar by the bus terminal; a job advert for waitresses abroad."),
    )
    municipality = MunicipalityChoiceField(label=_("Municipality"), queryset=_municipalities())
    description = forms.CharField(
        label=_("What was seen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text=_("Describe the place or the pattern. Never write the name of a victim or of any person."),
    )
    evidence = forms.CharField(
        label=_("Evidence (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Where the advert was published, a web address, what can be checked."),
    )
    latitude = forms.DecimalField(label=_("Latitude (optional)"), max_digits=8, decimal_places=5, required=False)
    longitude = forms.DecimalField(label=_("Longitude (optional)"), max_digits=8, decimal_places=5, required=False)
    not_a_name = forms.BooleanField(
        label=_("I checked: the words flagged are not a person's name (they name a place or a business)"),
        required=False,
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args: Any, show_confirmation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_confirmation:
            self.fields["not_a_name"].widget = forms.HiddenInput()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", _("Verify")), ("dismiss", _("Dismiss")), ("close", _("Close"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class LinkAlertForm(forms.Form):
    reference = forms.CharField(label=_("Alert reference or inspection visit id"), max_length=40)


class BulletinForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it is about"), choices=BulletinKind.choices)
    text = forms.CharField(
        label=_("Message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent as it is by e-mail, SMS or WhatsApp. A link to acknowledge it and one to opt out are added."),
    )


class VulnerabilityForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: factor, municipality, year, value, source, illustrative."),
    )
