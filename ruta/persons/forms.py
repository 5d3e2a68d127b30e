from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.persons.models import AgeGroup, MigrationStatus, Person, PersonIdentity, Sex
from ruta.persons.services import MAX_AGE, IdentityInput, age_group_for, age_on

LINES_HELP = _("One per line.")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PersonForm(forms.Form):
    """Identity (encrypted) and non-identifying attributes of one person, with the version the
    user started from (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    family_names = forms.CharField(label=_("Family names"), max_length=200, required=False)
    aliases = forms.CharField(
        label=_("Other names and aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=LINES_HELP,
    )
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    age_years = forms.IntegerField(label=_("Age (years)"), required=False, min_value=0, max_value=MAX_AGE)
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices)
    presumed_child = forms.BooleanField(label=_("Presumed a child (age uncertain)"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    nationality = forms.RegexField(
        label=_("Nationality (ISO country code)"),
        regex=r"^[A-Za-z]{2}$",
        required=False,
        max_length=2,
        error_messages={"invalid": _("Use the two-letter country code, e.g. HN.")},
    )
    languages = forms.CharField(
        label=_("Languages"), required=False, max_length=200, help_text=_("Separated by commas.")
    )
    migration_status = forms.ChoiceField(label=_("Migration status"), choices=MigrationStatus.choices)
    disability = forms.CharField(label=_("Disability"), required=False, max_length=200)
    id_documents = forms.CharField(
        label=_("Identity documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: type, then number (e.g. DNI 0801-1990-12345)."),
    )
    phones = forms.CharField(
        label=_("Phones"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=LINES_HELP
    )
    emails = forms.CharField(
        label=_("E-mails"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=LINES_HELP
    )
    addresses = forms.CharField(
        label=_("Addresses"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=LINES_HELP
    )
    notes = forms.CharField(label=_("Notes about the person"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_for(person: Person, identity: PersonIdentity) -> dict[str, Any]:
        documents = [
            " ".join(part for part in (doc.get("type", ""), doc.get("number", "")) if part)
            for doc in identity.id_documents or []
        ]
        return {
            "version": person.version,
            "given_names": identity.given_names,
            "family_names": identity.family_names,
            "aliases": "\n".join(identity.aliases or []),
            "birth_date": identity.birth_date or None,
            "age_years": person.age_years,
            "age_group": person.age_group,
            "presumed_child": person.presumed_child,
            "sex": person.sex,
            "nationality": person.nationality,
            "languages": ", ".join(person.languages or []),
            "migration_status": person.migration_status,
            "disability": person.disability,
            "id_documents": "\n".join(documents),
            "phones": "\n".join(identity.phones or []),
            "emails": "\n".join(identity.emails or []),
            "addresses": "\n".join(identity.addresses or []),
            "notes": identity.notes,
        }

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("birth_date")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("The birth date cannot be in the future."), code="future")
        if value is not None and age_on(value, timezone.localdate()) > MAX_AGE:
            raise forms.ValidationError(_("The birth date gives an age over %(max)s years."), params={"max": MAX_AGE})
        return value

    def clean_emails(self) -> list[str]:
        emails = _lines(self.cleaned_data.get("emails", ""))
        validator = forms.EmailField()
        for email in emails:
            validator.clean(email)
        return emails

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        birth_date, age = data.get("birth_date"), data.get("age_years")
        if birth_date is not None:
            computed = age_on(birth_date, timezone.localdate())
            if age is None:
                data["age_years"] = age = computed
            elif age != computed:
                self.add_error(
                    "age_years",
                    forms.ValidationError(
                        _("The age does not match the birth date, which gives %(age)s years."),
                        code="inconsistent",
                        params={"age": computed},
                    ),
                )
        stated = data.get("age_group")
        if age is not None and stated and stated != AgeGroup.UNKNOWN and stated != age_group_for(age):
            self.add_error(
                "age_group", forms.ValidationError(_("The age group does not match the age."), code="inconsistent")
            )
        return data

    def identity_input(self) -> IdentityInput:
        data = self.cleaned_data
        documents = []
        for line in _lines(data.get("id_documents", "")):
            kind, _space, number = line.partition(" ")
            documents.append({"type": kind, "number": number.strip()} if number else {"type": "", "number": kind})
        return IdentityInput(
            given_names=data.get("given_names", "").strip(),
            family_names=data.get("family_names", "").strip(),
            aliases=_lines(data.get("aliases", "")),
            birth_date=data["birth_date"].isoformat() if data.get("birth_date") else "",
            id_documents=documents,
            phones=_lines(data.get("phones", "")),
            emails=data.get("emails", []),
            addresses=_lines(data.get("addresses", "")),
            notes=data.get("notes", "").strip(),
        )

    def attributes(self) -> dict[str, Any]:
        data = self.cleaned_data
        age = data.get("age_years")
        return {
            "sex": data["sex"],
            "age_years": age,
            "age_group": age_group_for(age, data["age_group"]),
            "presumed_child": bool(data.get("presumed_child")) and age is None,
            "nationality": (data.get("nationality") or "").upper(),
            "languages": [item.strip() for item in (data.get("languages") or "").split(",") if item.strip()],
            "disability": data.get("disability", "").strip(),
            "migration_status": data["migration_status"],
        }


class MergeForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have checked that these records are the same person."))
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
