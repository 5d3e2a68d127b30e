"""The institutional dashboard: what the reader's institution sent and received (alerts it reported
and was handed, cases it leads, referrals it sent and received). The institution's own figures,
protected for every reader who is not national."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.core.indicators import MONTH, indicator
from ruta.institutions.models import Institution
from ruta.statistics.reach import Reach
from ruta.statistics.tables import Table, indicator_table

PANELS: tuple[tuple[Promise, str, str], ...] = (
    (_("Alerts reported by the institution"), "alerts.received", "reporting_institution"),
    (_("Alerts handed to the institution"), "alerts.received", "assigned_institution"),
    (_("Cases the institution leads"), "cases.opened", "lead_institution"),
    (_("Referrals sent by the institution"), "referrals.sent", "sender"),
    (_("Referrals received by the institution"), "referrals.sent", "receiver"),
    (_("Share of received referrals answered within their deadline"), "referrals.answered_in_time_share", "receiver"),
)


@dataclass(frozen=True)
class Panel:
    title: Promise
    table: Table


@dataclass(frozen=True)
class InstitutionPanels:
    institution: Institution
    panels: list[Panel]


def institutional_dashboard(*, reach: Reach, since: date, until: date) -> list[InstitutionPanels]:
    own = Reach(exact=reach.exact)  # the institution's figures nationwide, not one department's
    result = []
    for institution in Institution.objects.filter(code__in=reach.institutions).order_by("name"):
        panels = [
            Panel(
                title,
                indicator_table(
                    indicator(code),
                    reach=own,
                    since=since,
                    until=until,
                    by=(MONTH,),
                    where={dimension: institution.code},
                ),
            )
            for title, code, dimension in PANELS
        ]
        result.append(InstitutionPanels(institution, panels))
    return result
