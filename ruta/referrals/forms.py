from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.cases.models import Case, CasePerson, CasePersonRole
from ruta.institutions.models import Institution, InstitutionService, InstitutionType
from ruta.persons.models import Person
from ruta.referrals.models import MilestoneKind, ReferralStatus, SharedSection, Urgency

CONSENT_CHOICES = [("", _("Not recorded")), ("granted", _("Consent given")), ("refused", _("Consent refused"))]


class ServiceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.institution} — {obj.category.label}"


def directory_services(case: Case, exclude_institution_id: int | None) -> Any:
    """Active services that take referrals and cover the case's municipality (the directory)."""
    services = InstitutionService.objects.filter(
        is_active=True, accepts_referrals=True, institution__is_active=True
    ).select_related("institution", "category")
    if case.municipality_id is not None and case.municipality is not None:
        covering = InstitutionService.objects.filter(InstitutionService.covering(case.municipality)).values("pk")
        services = services.filter(pk__in=covering)
    else:
        services = services.filter(national_coverage=True)
    if exclude_institution_id:
        services = services.exclude(institution_id=exclude_institution_id)
    return services.order_by("institution__name", "category__sort_order")


def _guardians(case: Case) -> Any:
    return Person.objects.filter(
        pk__in=CasePerson.objects.filter(case=case, role=CasePersonRole.GUARDIAN).values("person_id")
    )


def _authorities() -> Any:
    return Institution.objects.filter(type=InstitutionType.CHILD_PROTECTION, is_active=True)


class ConsentFieldsMixin:
    """Per person: consent to this referral and, for a child, with whom it was given."""

    def add_consent_fields(self, persons: list[Person], case: Case) -> None:
        fields: dict[str, forms.Field] = self.fields  # type: ignore[attr-defined]
        guardians = _guardians(case)
        for person in persons:
            fields[f"consent_{person.pk}"] = forms.ChoiceField(
                label=_("Consent of %(person)s to this referral") % {"person": person.reference},
                choices=CONSENT_CHOICES,
                required=False,
            )
            if person.is_child:
                fields[f"guardian_{person.pk}"] = forms.ModelChoiceField(
                    label=_("Given with the guardian"), queryset=guardians, required=False
                )
                fields[f"authority_{person.pk}"] = forms.ModelChoiceField(
                    label=_("or with the child-protection authority"), queryset=_authorities(), required=False
                )


class ReferralForm(ConsentFieldsMixin, forms.Form):
    persons = forms.ModelMultipleChoiceField(
        label=_("Persons referred"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    service = ServiceChoiceField(label=_("Institution and service"), queryset=InstitutionService.objects.none())
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    shared_sections = forms.MultipleChoiceField(
        label=_("Sections shared with the receiving institution"),
        choices=SharedSection.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[SharedSection.BASIC],
        help_text=_("The receiving institution sees only these sections; identity only if you share it."),
    )
    reason = forms.CharField(label=_("Reason and notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    consent_override_reason = forms.CharField(
        label=_("Send without consent because"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only for supervisors allowed to override consent; the reason is recorded and shown."),
    )

    def __init__(self, *args: Any, case: Case, exclude_institution_id: int | None, can_override: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        persons = list(
            Person.objects.filter(pk__in=CasePerson.objects.filter(case=case).values("person_id")).order_by("pk")
        )
        self.fields["persons"].queryset = Person.objects.filter(pk__in=[p.pk for p in persons])  # type: ignore[attr-defined]
        self.fields["persons"].label_from_instance = lambda p: f"{p.reference} ({p.get_age_group_display()})"  # type: ignore[attr-defined]
        if len(persons) == 1:
            # With one person in the case there is nobody else to refer: ticking them saves a step.
            self.fields["persons"].initial = [persons[0].pk]
        self.fields["service"].queryset = directory_services(case, exclude_institution_id)  # type: ignore[attr-defined]
        if not can_override:
            del self.fields["consent_override_reason"]
        self.persons_in_case = persons
        self.add_consent_fields(persons, case)


class ConsentForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    granted = forms.TypedChoiceField(
        label=_("Consent"),
        choices=[("1", _("Consent given")), ("0", _("Consent refused"))],
        coerce=lambda value: value == "1",
    )
    guardian = forms.ModelChoiceField(
        label=_("Given with the guardian"), queryset=Person.objects.none(), required=False
    )
    authority = forms.ModelChoiceField(
        label=_("or with the child-protection authority"), queryset=Institution.objects.none(), required=False
    )

    def __init__(self, *args: Any, persons: list[Person], case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(pk__in=[p.pk for p in persons])  # type: ignore[attr-defined]
        self.fields["guardian"].queryset = _guardians(case)  # type: ignore[attr-defined]
        self.fields["authority"].queryset = _authorities()  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean_occurred_on(self) -> Any:
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future_date")
        return value


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *ReferralStatus.choices], required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[("", _("Any")), *Urgency.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Reference"), required=False, max_length=20)

    def apply(self, rows: Any) -> Any:
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["urgency"]:
            rows = rows.filter(urgency=data["urgency"])
        if data["overdue"]:
            now = timezone.now()
            rows = rows.filter(
                Q(status=ReferralStatus.SENT, accept_due_at__lt=now)
                | Q(status=ReferralStatus.ACCEPTED, complete_due_at__lt=now)
            )
        if data["q"]:
            term = data["q"].strip()
            rows = rows.filter(Q(reference__icontains=term) | Q(case__reference__icontains=term))
        return rows
