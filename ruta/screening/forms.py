"""The reusable screening form. Alerts and cases embed it (``screening/includes/form.html`` inside
their own ``<form>``, with a ``prefix`` if they like) and pass its ``cleaned_data`` to
``screening_record_create``; the calculator page uses it without saving.

The indicator checkboxes are those of the list that applies to the answers given (age, presumed a
child, exploitation), grouped by dimension, labels in the user's language, strength shown. The type
of exploitation has no default: pre-selecting "labour" biased screenings of sexual exploitation, so
the screener chooses, and no list is shown until they do. When the
answers change, htmx reloads the checkboxes (``screening:indicator_fields``); without JavaScript,
the "Show the indicators for these answers" button does the same."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ruta.screening import engine
from ruta.screening.models import Exploitation
from ruta.screening.selectors import FormCatalogue, FormList, form_catalogue, form_list

PRESUMED_CHOICES = [
    ("", _("Not stated (a child is presumed when the age is unknown)")),
    ("yes", _("Yes")),
    ("no", _("No")),
]


def _presumed(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(str(value or ""))


class ScreeningForm(forms.Form):
    age = forms.IntegerField(
        label=_("Age (years)"),
        required=False,
        min_value=0,
        max_value=engine.MAX_AGE,
        help_text=_("Leave empty when the age is unknown."),
    )
    presumed_child = forms.TypedChoiceField(
        label=_("Presumed a child?"),
        choices=PRESUMED_CHOICES,
        required=False,
        coerce=_presumed,
        empty_value=None,
        help_text=_("Used only when the age is unknown. When in doubt, a person is presumed a child."),
    )
    exploitation = forms.ChoiceField(
        label=_("Type of exploitation"),
        choices=Exploitation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of exploitation to screen for.")},
    )
    cse_child = forms.BooleanField(
        label=_("Commercial sexual exploitation of a child"),
        required=False,
        help_text=_(
            "Tick when the child is used, procured or offered for prostitution or pornography (ILO Convention 182, "
            "art. 3(b)). Only for a child; no means are needed. The alert becomes P1."
        ),
    )
    indicators = forms.MultipleChoiceField(label=_("Indicators observed"), required=False)

    refresh_url = reverse_lazy("screening:indicator_fields")

    def __init__(self, *args: Any, catalogue: FormCatalogue | None = None, **kwargs: Any) -> None:
        """``catalogue``: one ``form_catalogue()`` shared by every form of a page (no queries per form)."""
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue or form_catalogue()
        self.fields["indicators"].choices = [(code, code) for code in self.catalogue.active_codes]  # type: ignore[attr-defined]
        target = f"#{self.prefix or 'screening'}-indicators"
        for name in ("age", "presumed_child", "exploitation"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": str(self.refresh_url),
                    "hx-trigger": "change",
                    "hx-target": target,
                    "hx-swap": "outerHTML",
                    "hx-include": "closest .screening-fields",
                }
            )
        answers = self._answers()
        self.exploitation_chosen = bool(answers["exploitation"])
        self.applicable: FormList | None = (
            form_list(**answers, catalogue=self.catalogue) if self.exploitation_chosen else None
        )

    @classmethod
    def refreshed(cls, data: Any, prefix: str | None = None) -> ScreeningForm:
        """An unbound form showing the list for the answers in ``data`` (no errors yet), keeping the
        indicators already ticked that belong to that list."""
        probe = cls(data, prefix=prefix)
        answers = probe._answers()
        presumed = {True: "yes", False: "no"}.get(answers["presumed_child"], "")
        codes = probe.applicable.codes if probe.applicable else set()
        initial = {
            **answers,
            "presumed_child": presumed,
            "cse_child": probe._cse_child_given(),
            "indicators": [code for code in probe.selected_codes if code in codes],
        }
        return cls(initial=initial, prefix=prefix, catalogue=probe.catalogue)

    def _answers(self) -> dict[str, Any]:
        """Age, presumed-child and exploitation as given so far, read leniently (to choose the list).
        ``exploitation`` is "" until the screener chooses one."""
        if self.is_bound:
            raw_age = self.data.get(self.add_prefix("age"))
            presumed = _presumed(self.data.get(self.add_prefix("presumed_child")))
            exploitation = self.data.get(self.add_prefix("exploitation")) or ""
        else:
            raw_age = self.initial.get("age")
            presumed = self.initial.get("presumed_child")
            if not isinstance(presumed, bool):
                presumed = _presumed(presumed)
            exploitation = self.initial.get("exploitation") or ""
        try:
            age: int | None = int(str(raw_age).strip()) if raw_age not in (None, "") else None
        except ValueError:
            age = None
        if age is not None and not 0 <= age <= engine.MAX_AGE:
            age = None
        if exploitation not in engine.EXPLOITATION_TYPES:
            exploitation = ""
        return {"age": age, "presumed_child": presumed, "exploitation": exploitation}

    def _cse_child_given(self) -> bool:
        if self.is_bound:
            widget = self.fields["cse_child"].widget
            return bool(widget.value_from_datadict(self.data, self.files, self.add_prefix("cse_child")))
        return bool(self.initial.get("cse_child"))

    @property
    def selected_codes(self) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist(self.add_prefix("indicators")) if hasattr(self.data, "getlist") else [])
        return set(self.initial.get("indicators") or [])

    @property
    def child_rule(self) -> bool:
        answers = self._answers()
        return engine.is_child(answers["age"], answers["presumed_child"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        codes = cleaned.get("indicators") or []
        if cleaned.get("cse_child") and not self.child_rule:
            self.add_error("cse_child", forms.ValidationError(engine.cse_child_adult_message(), code="adult"))
        if not self.exploitation_chosen:
            return cleaned  # the exploitation field says what is missing
        if self.applicable is None:
            raise forms.ValidationError(
                _("No indicator list is loaded for these answers; ask an administrator to import it."),
                code="list_not_loaded",
            )
        stale = [code for code in codes if code not in self.applicable.codes]
        if stale:
            self.add_error(
                "indicators",
                forms.ValidationError(
                    _(
                        "The list of indicators changed with the age or the type of exploitation; "
                        "%(codes)s do not belong to it. Check the indicators again."
                    ),
                    code="wrong_list",
                    params={"codes": ", ".join(stale)},
                ),
            )
        return cleaned

    def screening_input(self) -> engine.ScreeningInput:
        data = self.cleaned_data
        return engine.ScreeningInput(
            age=data.get("age"),
            presumed_child=data.get("presumed_child"),
            exploitation=data["exploitation"],
            indicators=tuple(data.get("indicators") or ()),
            cse_child=bool(data.get("cse_child")),
        )

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``screening_record_create`` (add actor, subject_type, subject_id)."""
        data = self.screening_input()
        return {
            "age": data.age,
            "presumed_child": data.presumed_child,
            "exploitation": data.exploitation,
            "indicator_codes": list(data.indicators),
            "cse_child": data.cse_child,
        }


class CatalogueImportForm(forms.Form):
    indicator_list = forms.ChoiceField(
        label=_("List to replace"),
        choices=[
            ("adult_labour", _("Adults — labour exploitation")),
            ("child_labour", _("Children — labour exploitation")),
            ("adult_sexual", _("Adults — sexual exploitation")),
            ("child_sexual", _("Children — sexual exploitation")),
        ],
    )
    file = forms.FileField(
        label=_("YAML file"),
        help_text=_(
            "Same shape as ilo_ec_indicators.yaml: 'indicators' rows with list, code, dimension, strength, "
            "label_en (optional label_es, label_fr), source and verified."
        ),
    )
    verification = forms.ChoiceField(
        label=_("Verification status of this list"),
        choices=[
            ("", _("As stated in the file")),
            ("verified", _("Verified against the official source")),
            ("corroborated", _("Corroborated by secondary sources")),
            ("unverified", _("Unverified")),
        ],
        required=False,
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=1000,
        help_text=_("The publication or protocol the list comes from (edition, pages)."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that rows absent from the file will be deactivated for new screenings."),
        required=True,
    )

    def clean_file(self) -> Any:
        from ruta.screening.catalogue import MAX_UPLOAD_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 1 MB)."), code="too_large")
        name = upload.name.lower()
        if not name.endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("Upload a .yaml or .yml file."), code="file_type")
        return upload
