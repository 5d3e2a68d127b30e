"""The baseline study's permissions."""

from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import declare


class BaselinePermission:
    VIEW = declare("baseline.view", _("See baseline studies, their figures, charts, actor map and reports"))
    MANAGE = declare(
        "baseline.manage",
        _("Run baseline studies: rounds, workshops, initiatives, links, capacity scores, findings, results"),
    )
    RECORD = declare("baseline.record", _("Register workshop participants and record their sign-in"))
    PARTICIPANTS = declare("baseline.participants", _("See the names of workshop participants"))
