"""Everything the module brings to Ruta, declared here (steps 5–9 of "How to add a module" in
docs/architecture.md); no file outside this folder names it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ruta.core.indicators import Indicator, counter, register_indicator
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.core.texts import Text
from ruta.deadlines.registry import DeadlineKind, Notice, register_deadline
from ruta.policy.roles import Scope, grant_table
from ruta.security.exports import ExportKind, Rows, register_export
from ruta.security.retention_policies import register_deletion
from tests.plugin_app.models import OutreachVisit
from tests.plugin_app.permissions import OutreachPermission
from tests.plugin_app.selectors import visits_visible

# 5. Pages and API.
mount_pages("outreach/", "tests.plugin_app.urls")
mount_api("tests.plugin_app.api")

# 6. The roles' grants and the menu entry.
grant_table(
    {
        "supervisor": {OutreachPermission.VIEW: Scope.INSTITUTION},
        "eri_supervisor": {OutreachPermission.VIEW: Scope.INSTITUTION},
    }
)
menu_entry(
    NavItem(
        "plugin_app:visits",
        _("Outreach visits"),
        OutreachPermission.VIEW,
        _("Community outreach sessions planned by your institution."),
        order=95,
    )
)

# 7. Deadlines: a visit's report is due when the visit is planned.
register_deadline(
    DeadlineKind(
        model=OutreachVisit,
        code="report",
        label=_("Outreach report"),
        due_field="planned_for",
        pending=Q(reported_at__isnull=True),
        permission=OutreachPermission.VIEW,
        notification_kind="plugin_app.report_missed",
        notice=lambda visit, due_at: Notice(
            Text(gettext_noop("Outreach report missing: %(title)s"), {"title": visit.title}),
            Text(gettext_noop("The report of %(title)s is overdue."), {"title": visit.title}),
        ),
        url=lambda visit: reverse("plugin_app:visits"),
        on_escalated=lambda visit, escalation: None,
    )
)


# 8. Data lifecycle: retention, export, statistics.
register_deletion(
    "plugin_app.reported_visits",
    _("Reported outreach visits are deleted"),
    lambda cutoff: OutreachVisit.objects.filter(reported_at__lt=cutoff),
    default_keep_days=365,
)


def _visits(actor: Any, since: date | None, until: date | None) -> Rows:
    visits = visits_visible(actor=actor)
    if since:
        visits = visits.filter(planned_for__date__gte=since)
    if until:
        visits = visits.filter(planned_for__date__lte=until)
    return ["institution", "title", "planned_for"], [
        [visit.institution.code, visit.title, visit.planned_for.isoformat()] for visit in visits
    ]


register_export(
    ExportKind(
        "outreach_visits",
        _("Outreach visits"),
        OutreachPermission.VIEW,
        False,
        _visits,
        _("Your institution's outreach visits, one row each."),
    )
)


def _all_visits() -> Any:
    return OutreachVisit.objects.all()


register_indicator(
    Indicator(
        "outreach.visits_planned",
        _("Outreach visits planned"),
        _("Every outreach visit, counted on the date it is planned for."),
        {"institution": _("institution")},
        counter(_all_visits, date_field="planned_for", paths={"institution": "institution__code"}),
    )
)
