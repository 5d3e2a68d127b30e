"""Forms of the alert pages. They only parse and check shapes; the rules live in the services."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ruta.accounts.models import Membership
from ruta.alerts.intake import MAX_AGE
from ruta.alerts.models import (
    CONTACT_MAX_LENGTH,
    MAX_PERSONS,
    NARRATIVE_MAX_LENGTH,
    AlertStatus,
    CallerType,
    CommunitySignal,
    Priority,
    ReferralReason,
)
from ruta.alerts.permissions import AlertPermission
from ruta.alerts.triage import CLOSE_STATUSES
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution, InstitutionType
from ruta.persons.models import AgeGroup, Sex
from ruta.policy.roles import roles_with

PUBLIC_AGE_GROUPS = [
    (AgeGroup.UNKNOWN.value, _("I don't know")),
    (AgeGroup.CHILD.value, _("Under 18")),
    (AgeGroup.ADULT.value, _("18 or older")),
]
PUBLIC_SEX = [
    (Sex.UNKNOWN.value, _("I don't know / prefer not to say")),
    (Sex.FEMALE.value, _("Female")),
    (Sex.MALE.value, _("Male")),
    (Sex.INTERSEX.value, _("Intersex")),
]


def municipality_choices() -> list[tuple[str, Any]]:
    """Municipalities grouped by department (works without JavaScript)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, department in Municipality.objects.order_by("department__code", "name").values_list(
        "code", "name", "department__name"
    ):
        groups.setdefault(department, []).append((code, name))
    return [("", _("I don't know")), *list(groups.items())]


class AlertForm(forms.Form):
    """What every intake form asks (public and staff)."""

    signals = forms.MultipleChoiceField(
        label=_("What did you see or hear? Tick all that apply."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.ChoiceField(label=_("Department"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    happening_now = forms.TypedChoiceField(
        label=_("Is it happening now?"),
        choices=[("no", _("No, or I don't know")), ("yes", _("Yes, right now"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    narrative = forms.CharField(
        label=_("What happened? Where? Who is involved?"),
        help_text=_("Write what you know. Do not put yourself in danger to find out more."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NARRATIVE_MAX_LENGTH,
        error_messages={"max_length": _("Please keep the description under %(limit_value)d characters.")},
    )
    reporter_contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        help_text=_("A phone number or e-mail. You can stay anonymous."),
        required=False,
        max_length=CONTACT_MAX_LENGTH,
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=128)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["signals"]).choices = [
            (signal.code, signal.label) for signal in CommunitySignal.objects.filter(is_active=True)
        ]
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", _("I don't know"))] + [
            (d.code, d.name) for d in Department.objects.order_by("code")
        ]
        cast(forms.ChoiceField, self.fields["municipality"]).choices = municipality_choices()
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def municipality_rows(self) -> list[dict[str, str]]:
        """What the page's script filters by department: embedded in the page (static data), so the
        filter also works offline, from the page the service worker kept."""
        return [
            {"code": code, "name": name, "department": department}
            for code, name, department in Municipality.objects.order_by("department__code", "name").values_list(
                "code", "name", "department__code"
            )
        ]

    def raw_submission(self, persons: list[dict[str, Any]]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "narrative": data["narrative"],
            "municipality": data.get("municipality") or None,
            "department": data.get("department") or None,
            "signals": list(data.get("signals") or []),
            "happening_now": bool(data.get("happening_now")),
            "persons": persons,
            "reporter_contact": data.get("reporter_contact") or "",
        }


class PublicAlertForm(AlertForm):
    # A honeypot: hidden from people (CSS + aria-hidden), filled by bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)


class PersonForm(forms.Form):
    age = forms.IntegerField(label=_("Age (if known)"), required=False, min_value=0, max_value=MAX_AGE)
    age_group = forms.ChoiceField(label=_("Age group"), choices=PUBLIC_AGE_GROUPS, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=PUBLIC_SEX, required=False)

    def as_person(self) -> dict[str, Any] | None:
        data = getattr(self, "cleaned_data", None) or {}
        age = data.get("age")
        group = data.get("age_group") or AgeGroup.UNKNOWN
        sex = data.get("sex") or Sex.UNKNOWN
        if age is not None:
            group = AgeGroup.CHILD if age < 18 else AgeGroup.ADULT
        return {"age": age, "age_group": group, "sex": sex}


PersonFormSet = forms.formset_factory(PersonForm, extra=1, max_num=MAX_PERSONS, validate_max=True)


def persons_from(formset: Any) -> list[dict[str, Any]]:
    """A row says something about a person (an age, an age group or a sex); rows left at "I don't
    know" everywhere are blank lines of the form, not persons (the JavaScript queue does the same)."""
    persons = []
    for form in formset.forms:
        person = form.as_person()
        if person is None:
            continue
        if person["age"] is None and person["age_group"] == AgeGroup.UNKNOWN and person["sex"] == Sex.UNKNOWN:
            continue
        persons.append(person)
    return persons


class StaffAlertForm(AlertForm):
    channel = forms.ChoiceField(
        label=_("How did this reach you?"),
        choices=[("staff", _("Community, NGO or municipal network")), ("inspection", _("Labour inspection"))],
    )


class HotlineCallForm(forms.Form):
    call_started_at = forms.DateTimeField(
        label=_("Call started at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=0, max_value=600, initial=5)
    caller_type = forms.ChoiceField(label=_("Who called"), choices=CallerType.choices)
    caller_phone = forms.CharField(
        label=_("Caller's number (optional)"),
        required=False,
        max_length=40,
        help_text=_("Stored encrypted; only used to recognise repeat callers and to call back when needed."),
    )
    is_alert = forms.BooleanField(
        label=_("The call reports a situation (create an alert)"), required=False, initial=True
    )
    topic_note = forms.CharField(label=_("Topic, if it is not an alert (no names)"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("call_started_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


class HotlineAlertForm(AlertForm):
    """The alert part of a call: the narrative is only required when the call is an alert."""

    def __init__(self, *args: Any, is_alert: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["narrative"].required = is_alert


class QueueFilterForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), required=False, choices=[("", _("All")), *list(Priority.choices)])
    department = forms.ChoiceField(label=_("Department"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", pgettext_lazy("alert status", "Open")), ("all", _("All")), *list(AlertStatus.choices)],
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args: Any, departments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", _("All")), *departments]


def triage_responders(alert_department_id: int | None) -> QuerySet[Any]:
    """Users holding ALERT_TRIAGE; the service checks each one really reaches the alert."""
    members = Membership.objects.filter(is_active=True, role__in=roles_with(AlertPermission.TRIAGE)).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=members).order_by("first_name", "last_name")


class AssignForm(forms.Form):
    responder = forms.ModelChoiceField(label=_("Responder"), queryset=get_user_model().objects.none(), required=False)
    institution = forms.ModelChoiceField(
        label=_("Or hand it to an institution"),
        queryset=Institution.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, actor: Any, department_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["responder"]).queryset = triage_responders(department_id)
        # The ERI works alerts by territory; the service refuses handing an alert to it as an institution.
        cast(forms.ModelChoiceField, self.fields["institution"]).queryset = Institution.objects.filter(
            is_active=True
        ).exclude(type=InstitutionType.IMMEDIATE_RESPONSE_TEAM)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Verification note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NARRATIVE_MAX_LENGTH
    )


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"), choices=[(s.value, s.label) for s in CLOSE_STATUSES], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReferForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Refer to"), queryset=Institution.objects.filter(is_active=True))
    reason = forms.ChoiceField(label=_("Because it is"), choices=ReferralReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Reference of the alert to keep"), max_length=20)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class OpenCaseForm(forms.Form):
    persons = forms.MultipleChoiceField(label=_("Presumed victims"), widget=forms.CheckboxSelectMultiple, required=True)

    def __init__(self, *args: Any, alert_persons: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["persons"]).choices = [(str(p.pk), str(p.pk)) for p in alert_persons]
        if not self.is_bound:
            self.initial["persons"] = [str(p.pk) for p in alert_persons]


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the contact?"), max_length=200)
