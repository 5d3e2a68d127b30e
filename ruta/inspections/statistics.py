"""The inspection indicators offered to statistics (``ruta.core.indicators``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.core.indicators import Indicator, counter
from ruta.inspections.models import Handover, Visit, VisitStatus

INSPECTIONS_BY_TYPE = Indicator(
    "inspections_completed",
    _("Labour inspections completed"),
    _("Inspection visits closed in the period (demonstration data excluded), by the date they closed."),
    {
        "inspection_type": _("Inspection type"),
        "department": _("Department"),
        "findings": _("Indicators or immediate danger found"),
    },
    counter(
        lambda: Visit.objects.filter(is_synthetic=False, status=VisitStatus.COMPLETED),
        date_field="closed_at",
        paths={"inspection_type": "inspection_type", "department": "department__code", "findings": "has_findings"},
    ),
)

HANDOVERS = Indicator(
    "inspection_handovers",
    _("Inspection hand-overs to the ERI"),
    _("Alerts created by labour inspections (a worker screened as trafficked or possibly, or immediate danger)."),
    {"department": _("Department"), "priority": _("Priority"), "immediate_danger": _("Immediate danger")},
    counter(
        lambda: Handover.objects.filter(visit__is_synthetic=False),
        date_field="created_at",
        paths={
            "department": "visit__department__code",
            "priority": "alert__priority",
            "immediate_danger": "immediate_danger",
        },
    ),
)
