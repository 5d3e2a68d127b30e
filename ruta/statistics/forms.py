from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.statistics.labels import Labeller
from ruta.statistics.models import HtcdsFormat, ReportPeriod
from ruta.statistics.reach import Reach
from ruta.statistics.tables import MAX_YEARS

DATE = forms.DateInput(attrs={"type": "date"})
# The dimensions offered as filters and cuts on the dashboards (any indicator may have more: the API
# takes them all).
FILTERS = ("department", "channel", "priority", "sex", "age_group", "exploitation")
CUTS = (
    ("department", _("Department")),
    ("municipality", _("Municipality")),
    ("channel", _("Channel")),
    ("priority", _("Priority")),
    ("sex", _("Sex")),
    ("age_group", _("Age group")),
    ("exploitation", _("Form of exploitation")),
    ("stage", _("Stage")),
    ("outcome", _("Outcome")),
    ("sender", _("Sending institution")),
    ("receiver", _("Receiving institution")),
)
CUT_LABELS = dict(CUTS)


def default_period(today: date | None = None) -> tuple[date, date]:
    """Twelve months: this one so far and the eleven before it."""
    today = today or timezone.localdate()
    year, month = (today.year, today.month - 11) if today.month == 12 else (today.year - 1, today.month + 1)
    return date(year, month, 1), today


class DashboardFilterForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)
    by = forms.ChoiceField(label=_("Cut by"), required=False, choices=[("", _("Month only")), *CUTS])

    def __init__(self, *args: Any, reach: Reach, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = Labeller()
        for name in FILTERS:
            options = labels.options(name)
            if name == "department" and reach.territorial:
                options = [option for option in options if option[0] in reach.departments]
            self.fields[name] = forms.ChoiceField(
                label=CUT_LABELS[name], required=False, choices=[("", _("All")), *options]
            )
        if reach.territorial and len(reach.departments) == 1:
            del self.fields["department"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = default_period()
        data["since"] = data.get("since") or since
        data["until"] = data.get("until") or until
        if data["until"] < data["since"]:
            self.add_error("until", _("The end of the period is before its start."))
        elif (data["until"] - data["since"]).days > 366 * MAX_YEARS:
            self.add_error("until", _("The period can be at most ten years."))
        return data

    def where(self) -> dict[str, str]:
        return {name: str(self.cleaned_data[name]) for name in FILTERS if self.cleaned_data.get(name)}


class ReportRequestForm(forms.Form):
    period = forms.ChoiceField(label=_("Report"), choices=ReportPeriod.choices)
    day = forms.DateField(label=_("Month or year of"), widget=DATE, help_text=_("Any day of the month or year."))


class PopulationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Population file (CSV)"),
        help_text=_(
            "Columns: department (code), year, sex, age_group, value. One row per department, sex and age group."
        ),
    )
    source = forms.CharField(label=_("Source of the figures"), max_length=300)

    def text(self) -> str:
        upload = cast(Any, self.cleaned_data["file"])
        return str(upload.read().decode("utf-8-sig", errors="replace"))


class HtcdsRequestForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Format"), choices=HtcdsFormat.choices)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("Why this export is needed and who will receive it; recorded in the audit trail."),
    )
