"""The baseline study's statistics indicators (``ruta.core.indicators``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.baseline.models import Initiative, Participant
from ruta.core.indicators import Indicator, counter

INITIATIVES = Indicator(
    "baseline.initiatives",
    _("Anti-trafficking initiatives inventoried"),
    _(
        "Every initiative, programme, protocol or service recorded in the baseline inventory, counted "
        "on the date it was recorded, by pillar (prevention, protection, prosecution, partnership), "
        "target group, status and institution."
    ),
    {
        "pillar": _("pillar"),
        "target_group": _("target group"),
        "status": _("status"),
        "institution": _("institution"),
    },
    counter(
        Initiative.objects.all,
        date_field="created_at",
        paths={
            "pillar": "pillar",
            "target_group": "target_group",
            "status": "status",
            "institution": "institution__code",
        },
    ),
)

WORKSHOP_PARTICIPANTS = Indicator(
    "baseline.workshop_participants",
    _("Workshop participants"),
    _(
        "Every participation registered at a baseline-study workshop (a person at two workshops counts "
        "twice), counted on the date it was registered, by sex, institution and department."
    ),
    {"sex": _("sex"), "institution": _("institution"), "department": _("department")},
    counter(
        Participant.objects.all,
        date_field="created_at",
        paths={"sex": "sex", "institution": "institution__code", "department": "department__code"},
    ),
)
