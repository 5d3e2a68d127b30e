"""The cases' statistics indicator and the aggregated export built on it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.cases.models import Case
from ruta.core.indicators import MONTH, records_indicator
from ruta.security.exports import aggregate_export

CASES_OPENED = records_indicator(
    "cases.opened",
    _("Cases opened"),
    _(
        "Every case opened in Ruta, counted on the date it was opened, by the department of its "
        "municipality and the stage it is at now; demonstration data excluded."
    ),
    model=Case,
    date_field="opened_at",
    dimensions={
        "department": (_("department"), "municipality__department__code"),
        "municipality": (_("municipality"), "municipality__code"),
        "stage": (_("stage"), "stage"),
        "exploitation": (_("form of exploitation"), "exploitation"),
        "lead_institution": (_("lead institution"), "lead_institution__code"),
    },
    # Kept by month for the dashboards (``ruta.core.rollups``).
    rolled_up=("department", "stage"),
)

CASES_BY_STAGE = aggregate_export(
    "cases_by_stage",
    _("Cases by month, department and stage"),
    CASES_OPENED,
    by=(MONTH, "department", "stage"),
)
