"""The cases' statistics indicator and the aggregated export built on it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.cases.models import Case
from ruta.core.indicators import Indicator, counter
from ruta.security.exports import aggregate_export

CASES_OPENED = Indicator(
    "cases.opened",
    _("Cases opened"),
    _(
        "Every case opened in Ruta, counted on the date it was opened, by the department of its "
        "municipality and the stage it is at now; demonstration data excluded."
    ),
    {"department": _("department"), "stage": _("stage")},
    counter(
        lambda: Case.objects.filter(is_synthetic=False),
        date_field="opened_at",
        paths={"department": "municipality__department__code", "stage": "stage"},
    ),
)

CASES_BY_STAGE = aggregate_export(
    "cases_by_stage",
    _("Cases by month, department and stage"),
    CASES_OPENED,
    ("month", "department", "stage"),
    _("Counts only; cells under 11 are suppressed."),
)
