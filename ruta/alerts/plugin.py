"""What the alerts app brings to Ruta: see ``ruta.core.plugins``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ruta.alerts import selectors  # noqa: F401 - registers access rules
from ruta.alerts.escalation import ACKNOWLEDGE, FIRST_RESPONSE
from ruta.alerts.models import AlertPerson
from ruta.alerts.permissions import AlertPermission
from ruta.alerts.retention import reporter_contacts_due, reporter_contacts_erase
from ruta.alerts.statistics import ALERTS_BY_PRIORITY, ALERTS_RECEIVED
from ruta.cases.protection import EarlierSubject, register_earlier_subject
from ruta.core.defaults import default_catalogue
from ruta.core.indicators import register_indicator
from ruta.core.navigation import NavItem, menu_entry
from ruta.core.plugins import mount_api, mount_pages
from ruta.deadlines.registry import register_deadline
from ruta.persons.models import Person
from ruta.policy.roles import Scope, grant_table
from ruta.security.break_glass import honour_in_emergency
from ruta.security.exports import register_export
from ruta.security.retention_policies import register_retention

mount_pages("alerts/", "ruta.alerts.urls")
mount_pages("", "ruta.alerts.public_urls")
mount_api("ruta.api.alerts")
default_catalogue("alerts.CommunitySignal", "ruta.alerts.migrations.0002_default_catalogue", "load")
register_deadline(ACKNOWLEDGE)
register_deadline(FIRST_RESPONSE)
register_indicator(ALERTS_RECEIVED)
register_export(ALERTS_BY_PRIORITY)
register_retention(
    "alerts.reporter_contact",
    _("Reporter contacts of closed alerts are erased"),
    count=reporter_contacts_due,
    apply=reporter_contacts_erase,
    default_keep_days=180,
)

menu_entry(
    NavItem(
        "alerts:queue",
        _("Alerts"),
        AlertPermission.VIEW,
        _("The triage queue: alerts by priority and deadline."),
        order=40,
    )
)

menu_entry(
    NavItem(
        "alerts:new",
        _("New alert"),
        AlertPermission.CREATE,
        _("Record an alert from a community network, an NGO, a municipality or an inspection."),
        order=50,
    )
)

menu_entry(
    NavItem(
        "alerts:hotline",
        _("Hotline 145"),
        AlertPermission.HOTLINE_LOG,
        _("Log calls to the national line; repeat callers are recognised."),
        order=60,
    )
)


P, S = AlertPermission, Scope
grant_table(
    {
        "duty_officer": {P.VIEW: S.NATIONAL, P.TRIAGE: S.NATIONAL},
        "hotline_operator": {P.CREATE: S.OWN, P.HOTLINE_LOG: S.OWN, P.VIEW: S.OWN},
        "community_reporter": {P.CREATE: S.OWN, P.VIEW: S.OWN},
        "eri_responder": {P.CREATE: S.OWN, P.VIEW: S.TERRITORY, P.TRIAGE: S.TERRITORY},
        "caseworker": {P.CREATE: S.OWN},
        "supervisor": {P.VIEW: S.INSTITUTION, P.TRIAGE: S.INSTITUTION},
        # ERI supervisors oversee every alert of their territory, assigned or not.
        "eri_supervisor": {P.VIEW: S.TERRITORY, P.TRIAGE: S.TERRITORY},
        "labour_inspector": {P.CREATE: S.OWN, P.VIEW: S.OWN},
    }
)
honour_in_emergency(AlertPermission.VIEW)


def _alert_persons_became(persons: list[Person]) -> dict[int, int]:
    rows = AlertPerson.objects.filter(person__in=persons).values_list("pk", "person_id")
    return {alert_person: person for alert_person, person in rows if person is not None}


# A case shows (and its identification may cite) the screening done in triage on the alert person who
# became its person.
register_earlier_subject(
    EarlierSubject(AlertPerson._meta.label_lower, _("during triage of the alert"), _alert_persons_became)
)
