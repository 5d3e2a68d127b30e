"""The competencies' statistics indicator."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ruta.competencies.models import Assessment, AssessmentStatus
from ruta.core.indicators import records_indicator

ASSESSMENTS_SUBMITTED = records_indicator(
    "competencies.assessments_submitted",
    _("Competency assessments submitted"),
    _(
        "Every submitted self-, supervisor or follow-up assessment of a person against a competency "
        "framework, counted on its assessment date, by kind, framework, and the institution and "
        "department of the person when assessed; drafts and demonstration data excluded."
    ),
    model=Assessment,
    date_field="assessed_on",
    dated_by_day=True,
    condition=Q(status=AssessmentStatus.SUBMITTED),
    dimensions={
        "kind": (_("kind of assessment"), "kind"),
        "framework": (_("framework"), "framework__code"),
        "institution": (_("institution"), "institution__code"),
        "department": (_("department"), "department__code"),
    },
)
