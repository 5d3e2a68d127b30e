"""Case forms: parse and validate input (translated messages per field); services decide the rules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import Membership
from ruta.cases.models import (
    BestInterestsPurpose,
    Case,
    CaseMember,
    CasePerson,
    CasePersonRole,
    ClosureReason,
    ConsentPurpose,
    ExploitationType,
    IdentificationOutcome,
    NeedArea,
    NeedAssessment,
    NeedLevel,
    Stage,
)
from ruta.cases.permissions import CasePermission
from ruta.cases.services import PersonInput
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution, InstitutionType, ServiceCategory
from ruta.persons.models import AgeGroup, Person, Sex
from ruta.persons.services import IdentityInput
from ruta.policy import access
from ruta.policy.roles import ROLES, roles_with

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_AGE = 120
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _institutions() -> QuerySet[Institution]:
    return Institution.objects.filter(is_active=True).order_by("name")


def _child_protection() -> QuerySet[Institution]:
    return _institutions().filter(type=InstitutionType.CHILD_PROTECTION)


class InstitutionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name if not obj.short_name else f"{obj.short_name} — {obj.name}")


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Persons of the case by pseudonymous reference (names never go into option labels)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.reference)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference"), required=False, max_length=20)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Any")), *Stage.choices])
    exploitation = forms.ChoiceField(
        label=_("Form of exploitation"), required=False, choices=[("", _("Any")), *ExploitationType.choices]
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.all(), to_field_name="code"
    )
    lead_institution = forms.ModelChoiceField(
        label=_("Lead institution"), required=False, queryset=_institutions(), to_field_name="code"
    )
    has_child = forms.ChoiceField(label=_("Involves a child"), required=False, choices=[("", _("Any")), *YES_NO])
    opened_from = forms.DateField(label=_("Opened from"), required=False, widget=DATE)
    opened_to = forms.DateField(label=_("Opened until"), required=False, widget=DATE)
    mine = forms.BooleanField(label=_("Only cases I work on"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opened_from") and data.get("opened_to") and data["opened_to"] < data["opened_from"]:
            self.add_error("opened_to", _("The end of the period is before its start."))
        return data


class VersionedForm(forms.Form):
    """Every case edit carries the version of the case it was based on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        self.case, self.user = case, user
        kwargs.setdefault("initial", {}).setdefault("version", case.version)
        super().__init__(*args, **kwargs)

    def case_persons(self, *roles: str) -> QuerySet[Person]:
        return Person.objects.filter(
            pk__in=CasePerson.objects.filter(case=self.case, role__in=roles).values("person_id")
        ).order_by("reference")

    def victims(self) -> QuerySet[Person]:
        return self.case_persons(CasePersonRole.PRESUMED_VICTIM)

    def choose_person(self, name: str, persons: QuerySet[Person]) -> None:
        """Offer ``persons``; when there is only one, it is preselected."""
        field = self.fields[name]
        field.queryset = persons  # type: ignore[attr-defined]
        only = list(persons[:2])
        if len(only) == 1:
            field.initial = only[0].pk


# --- Persons ---------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    """A person's identity and attributes. Unknown age and no stated adulthood: presumed a child."""

    given_names = forms.CharField(label=_("Given names"), required=False, max_length=120)
    family_names = forms.CharField(label=_("Family names"), required=False, max_length=120)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    age_years = forms.IntegerField(label=_("Age (years)"), required=False, min_value=0, max_value=MAX_AGE)
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices, initial=AgeGroup.UNKNOWN)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    nationality = forms.RegexField(
        label=_("Nationality (ISO code, e.g. HN)"),
        required=False,
        regex=r"^[A-Za-z]{2}$",
        error_messages={"invalid": _("Use the two-letter country code (HN, GT, SV…).")},
    )

    def clean_birth_date(self) -> date | None:
        value: date | None = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise ValidationError(_("A birth date cannot be in the future."), code="future")
        if value and value.year < timezone.localdate().year - MAX_AGE:
            raise ValidationError(_("This birth date is not plausible."), code="implausible")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born, age = data.get("birth_date"), data.get("age_years")
        if born is not None:
            today = timezone.localdate()
            computed = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            if age is not None and abs(age - computed) > 1:
                self.add_error("age_years", _("The age does not match the birth date."))
            elif age is None:
                data["age_years"] = computed
        if data.get("age_years") is not None and data.get("age_group") != AgeGroup.UNKNOWN:
            is_child = data["age_years"] < 18
            if (data["age_group"] == AgeGroup.CHILD) != is_child:
                self.add_error("age_group", _("The age group does not match the age."))
        return data

    def to_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            sex=data["sex"],
            age_years=data.get("age_years"),
            age_group=data["age_group"],
            nationality=(data.get("nationality") or "").upper(),
            identity=IdentityInput(
                given_names=data.get("given_names", "").strip(),
                family_names=data.get("family_names", "").strip(),
                birth_date=data["birth_date"].isoformat() if data.get("birth_date") else "",
            ),
        )


class BaseVictimFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def filled_forms(self) -> list[PersonForm]:
        return [form for form in self.forms if form.has_changed() and form.is_valid()]

    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError(_("Add at least one presumed victim."), code="no_victim")


VictimFormSet = forms.formset_factory(PersonForm, formset=BaseVictimFormSet, extra=3, max_num=10, validate_max=True)


class CaseOpenForm(forms.Form):
    lead_institution = InstitutionChoiceField(label=_("Lead institution"), queryset=Institution.objects.none())
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.select_related("department").order_by("code"),
        to_field_name="code",
    )
    exploitation = forms.ChoiceField(label=_("Form of exploitation"), choices=ExploitationType.choices)
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DATE, help_text=_("Today if empty."))
    narrative = forms.CharField(
        label=_("What happened (confidential)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = access.institutions_with(user, CasePermission.CREATE)
        field = self.fields["lead_institution"]
        field.queryset = _institutions().filter(pk__in=ids)  # type: ignore[attr-defined]
        if len(ids) == 1:
            field.initial = next(iter(ids))

    def clean_opened_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("opened_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("A case cannot be opened in the future."), code="future")
        return value

    def opened_at(self) -> datetime | None:
        value = self.cleaned_data.get("opened_on")
        if not value or value == timezone.localdate():
            return None
        return timezone.make_aware(datetime.combine(value, datetime.min.time().replace(hour=12)))


class PersonAddForm(VersionedForm, PersonForm):
    role = forms.ChoiceField(
        label=_("Role in the case"), choices=CasePersonRole.choices, initial=CasePersonRole.GUARDIAN
    )

    field_order = ["role"]


# --- Identification, reflection, consent, children -------------------------------------------------


class IdentificationForm(VersionedForm):
    person = PersonChoiceField(label=_("Presumed victim"), queryset=Person.objects.none())
    outcome = forms.ChoiceField(label=_("Decision"), choices=IdentificationOutcome.choices)
    institution = InstitutionChoiceField(label=_("Deciding institution"), queryset=_institutions())
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    basis = forms.CharField(label=_("Basis of the decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    screening_record_id = forms.IntegerField(
        label=_("Formal screening record number"),
        required=False,
        min_value=1,
        help_text=_("Optional: a screening of this person already recorded (listed above)."),
    )
    screen_now = forms.BooleanField(
        label=_("Record a formal screening of this person now, with the indicators below"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose_person("person", self.victims())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("screen_now") and data.get("screening_record_id"):
            self.add_error(
                "screening_record_id",
                _("Either attach a screening already recorded or record a new one, not both."),
            )
        return data


class ReflectionForm(VersionedForm):
    person = PersonChoiceField(label=_("Presumed victim"), queryset=Person.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose_person("person", self.victims())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The period cannot end before it starts."))
        return data


class ConsentForm(VersionedForm):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    referral_id = forms.IntegerField(
        label=_("Referral number"), required=False, min_value=1, help_text=_("Only for a referral consent.")
    )
    granted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Consent given")), ("no", _("Consent refused"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    guardian = PersonChoiceField(label=_("Given with the guardian"), queryset=Person.objects.none(), required=False)
    authority = InstitutionChoiceField(
        label=_("Given with the child-protection authority"), queryset=_child_protection(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choose_person("person", self.victims())
        self.fields["guardian"].queryset = self.case_persons(CasePersonRole.GUARDIAN)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("referral_id") and data.get("purpose") != ConsentPurpose.REFERRAL:
            self.add_error("referral_id", _("Only a referral consent names a referral."))
        return data


class ChildNotificationForm(VersionedForm):
    institution = InstitutionChoiceField(label=_("Child-protection authority"), queryset=_child_protection())
    notified_at = forms.DateTimeField(label=_("Notified at"), widget=DATETIME)
    means = forms.CharField(label=_("How (phone, letter, in person…)"), max_length=120)
    authority_reference = forms.CharField(label=_("Authority's file number"), max_length=60, required=False)
    authority_represents = forms.BooleanField(
        label=_("The authority acts as the child's legal representative"), required=False
    )

    def clean_notified_at(self) -> datetime:
        value: datetime = self.cleaned_data["notified_at"]
        if value > timezone.now():
            raise ValidationError(_("This date is in the future."), code="future")
        return value


class BestInterestsForm(VersionedForm):
    person = PersonChoiceField(label=_("Child"), queryset=Person.objects.none())
    purpose = forms.ChoiceField(label=_("Decision about"), choices=BestInterestsPurpose.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    institution = InstitutionChoiceField(label=_("Deciding institution"), queryset=_institutions())
    decision = forms.CharField(
        label=_("Decision and reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        children = self.victims().filter(Q(age_group=AgeGroup.CHILD) | Q(presumed_child=True))
        self.choose_person("person", children)


# --- Care ------------------------------------------------------------------------------------------


class NeedsForm(VersionedForm):
    """One group of fields per needs area: level, notes and due date."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {need.area: need for need in NeedAssessment.objects.filter(case=self.case)}
        self.areas: list[tuple[str, Any]] = []
        for area, label in NeedArea.choices:
            need = current.get(area)
            self.fields[f"{area}-level"] = forms.ChoiceField(
                label=_("Level"),
                required=False,
                choices=[("", _("Not assessed yet")), *NeedLevel.choices],
                initial=need.level if need else "",
            )
            self.fields[f"{area}-notes"] = forms.CharField(
                label=_("Notes"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=need.notes if need else "",
            )
            self.fields[f"{area}-due_on"] = forms.DateField(
                label=_("Due date"), required=False, widget=DATE, initial=need.due_on if need else None
            )
            self.areas.append((area, label))

    @property
    def groups(self) -> list[tuple[Any, list[Any]]]:
        return [
            (label, [self[f"{area}-{part}"] for part in ("level", "notes", "due_on")]) for area, label in self.areas
        ]


class PlanForm(VersionedForm):
    goals = forms.CharField(label=_("Goals of the plan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    submit_for_approval = forms.BooleanField(label=_("Submit to a supervisor for approval"), required=False)


class PlanItemForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceCategory.objects.filter(is_active=True), to_field_name="code"
    )
    institution = InstitutionChoiceField(
        label=_("Responsible institution"), queryset=_institutions(), to_field_name="code"
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A service cannot end before it starts."))
        return data


class BasePlanItemFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError(_("Add at least one service to the plan."), code="no_items")


PlanItemFormSet = forms.formset_factory(
    PlanItemForm, formset=BasePlanItemFormSet, extra=3, max_num=20, validate_max=True
)


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return / reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=500, help_text=_("Required when returning or rejecting.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say why."))
        return data


class ServiceForm(VersionedForm):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=ServiceCategory.objects.filter(is_active=True), to_field_name="code"
    )
    institution = InstitutionChoiceField(label=_("Provided by"), queryset=_institutions(), to_field_name="code")
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class FollowUpForm(VersionedForm):
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=200, help_text=_("Shown in work lists: no names or personal details.")
    )
    assigned_to = UserChoiceField(label=_("Assigned to"), queryset=CaseMember.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        team = CaseMember.objects.filter(case=self.case, is_active=True).values("user_id")
        field = self.fields["assigned_to"]
        field.queryset = get_user_model().objects.filter(pk__in=team).order_by("first_name")  # type: ignore[attr-defined]
        field.initial = self.user.pk


class FollowUpDoneForm(VersionedForm):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class MembershipChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        role = ROLES.get(obj.role)
        name = obj.user.get_full_name() or obj.user.get_username()
        return f"{name} — {obj.institution} ({role.label if role else obj.role})"


class MemberAddForm(VersionedForm):
    membership = MembershipChoiceField(label=_("Person and institution"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = roles_with(CasePermission.VIEW)
        in_team = CaseMember.objects.filter(case=self.case, is_active=True).values("user_id")
        self.fields["membership"].queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(is_active=True, role__in=roles, user__is_active=True, institution__is_active=True)
            .exclude(user_id__in=in_team)
            .select_related("user", "institution")
            .order_by("institution__name", "user__first_name")
        )


class ConfirmForm(VersionedForm):
    """Just the version: for actions whose only input is the button (withdraw consent, remove member)."""


class ClosureRequestForm(VersionedForm):
    reason = forms.ModelChoiceField(
        label=_("Reason"), queryset=ClosureReason.objects.filter(is_active=True), to_field_name="code"
    )
    closed_on = forms.DateField(label=_("Closure date"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_closed_on(self) -> date:
        value: date = self.cleaned_data["closed_on"]
        opened = timezone.localdate(self.case.opened_at)
        if value < opened:
            raise ValidationError(_("A case cannot close before it was opened (%(date)s)."), params={"date": opened})
        if value > timezone.localdate():
            raise ValidationError(_("This date is in the future."), code="future")
        return value


class ReopenForm(VersionedForm):
    reason = forms.CharField(label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
