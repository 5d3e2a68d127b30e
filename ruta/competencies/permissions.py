"""The competency permissions. A person's own assessments need none: every signed-in user rates
themselves and reads their own results; these permissions reach other people's."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class CompetencyPermission:
    FRAMEWORK_MANAGE = declare("competency.framework_manage", _("Import and edit competency frameworks"))
    ASSESS = declare("competency.assess", _("Assess other people's competencies (supervisor assessment)"))
    VIEW_ASSESSMENTS = declare("competency.view_assessments", _("See other people's competency assessments and gaps"))
    HEATMAP = declare("competency.heatmap", _("See the competency gap heat map (aggregates, no names)"))
