"""The alerts' statistics indicator and the aggregated export built on it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.alerts.models import Alert
from ruta.core.indicators import MONTH, records_indicator
from ruta.security.exports import aggregate_export

ALERTS_RECEIVED = records_indicator(
    "alerts.received",
    _("Alerts received"),
    _(
        "Every alert recorded in Ruta, whatever its channel or outcome, counted on the date it was "
        "received; demonstration data excluded."
    ),
    model=Alert,
    date_field="received_at",
    dimensions={
        "department": (_("department"), "department__code"),
        "municipality": (_("municipality"), "municipality__code"),
        "channel": (_("channel"), "channel"),
        "priority": (_("priority"), "priority"),
        "reporting_institution": (_("reporting institution"), "reporting_institution__code"),
        "assigned_institution": (_("assigned institution"), "assigned_institution__code"),
    },
    # Kept by month for the dashboards (``ruta.core.rollups``).
    rolled_up=("department", "priority"),
)

# Department level at most: the aggregated exports never go down to municipalities.
ALERTS_BY_PRIORITY = aggregate_export(
    "alerts_by_priority",
    _("Alerts by month, department and priority"),
    ALERTS_RECEIVED,
    by=(MONTH, "department", "priority"),
)
