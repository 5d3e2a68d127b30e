"""The alerts' statistics indicator and the aggregated export built on it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.alerts.models import Alert
from ruta.core.indicators import records_indicator
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
    dimensions={"department": (_("department"), "department__code"), "priority": (_("priority"), "priority")},
)

ALERTS_BY_PRIORITY = aggregate_export(
    "alerts_by_priority", _("Alerts by month, department and priority"), ALERTS_RECEIVED
)
