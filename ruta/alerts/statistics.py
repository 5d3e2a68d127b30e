"""The alerts' statistics indicator and the aggregated export built on it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.alerts.models import Alert
from ruta.core.indicators import Indicator, counter
from ruta.security.exports import aggregate_export

ALERTS_RECEIVED = Indicator(
    "alerts.received",
    _("Alerts received"),
    _(
        "Every alert recorded in Ruta, whatever its channel or outcome, counted on the date it was "
        "received; demonstration data excluded."
    ),
    {"department": _("department"), "priority": _("priority")},
    counter(
        lambda: Alert.objects.filter(is_synthetic=False),
        date_field="received_at",
        paths={"department": "department__code", "priority": "priority"},
    ),
)

ALERTS_BY_PRIORITY = aggregate_export(
    "alerts_by_priority",
    _("Alerts by month, department and priority"),
    ALERTS_RECEIVED,
    ("month", "department", "priority"),
    _("Counts only; cells under 11 are suppressed."),
)
