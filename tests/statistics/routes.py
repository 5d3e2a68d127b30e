"""Permission matrix entries for every statistics page and API endpoint.

Who holds ``stats.view`` is read from the role table, so a module granting it to another role moves
that role's personas into the right sets: national readers (commission, analysts, administrator)
see everything, reports included; territorial and institutional readers see the dashboards,
definitions, SDG page and API (protected); only configuration managers import population figures."""

from __future__ import annotations

from typing import Any

from ruta.demo.personas import PERSONAS
from ruta.policy.permissions import PlatformPermission
from ruta.policy.roles import Scope, role
from ruta.statistics import reports
from ruta.statistics.models import ReportPeriod
from tests.access.harness import Route


def _holders(permission: str, scope: Scope | None = None) -> set[str]:
    found = set()
    for persona in PERSONAS:
        granted = role(persona.role).grants.get(permission)  # type: ignore[call-overload]
        if granted is not None and (scope is None or granted == scope):
            found.add(persona.key)
    return found


READERS = _holders(PlatformPermission.STATS_VIEW)
NATIONAL = _holders(PlatformPermission.STATS_VIEW, Scope.NATIONAL)
CONFIGURATION = _holders(PlatformPermission.CONFIG_MANAGE)
PERIOD = {"from": "2026-01-01", "to": "2026-03-31"}
# The HTCDS export: exporters who read national statistics.
HTCDS = _holders(PlatformPermission.EXPORT_AGGREGATE) & NATIONAL


def _htcds_export(personas: dict[str, Any]) -> dict[str, Any]:
    from ruta.statistics import htcds_exports

    export = htcds_exports.htcds_request(actor=personas["analyst"], fmt="csv", purpose="Informe anual al CTDC")
    htcds_exports.htcds_build(export.pk)
    return {"export": export}


def _report(personas: dict[str, Any]) -> dict[str, Any]:
    from datetime import date

    report = reports.report_request(actor=personas["analyst"], period=ReportPeriod.MONTHLY, day=date(2026, 3, 5))
    return {"report": reports.build_now(report)}


def _pk(world: dict[str, Any]) -> dict[str, Any]:
    return {"pk": world["report"].pk}


ROUTES = [
    Route("statistics:dashboard", READERS, ok=frozenset({200, 302})),
    Route("statistics:institution", READERS),
    Route("statistics:definitions", READERS),
    Route("statistics:sdg", READERS),
    Route("statistics:reports", NATIONAL),
    Route(
        "statistics:reports",
        NATIONAL,
        method="POST",
        data=lambda w: {"period": "monthly", "day": "2026-03-05"},
        ok=frozenset({302}),
    ),
    Route("statistics:report", NATIONAL, world=_report, kwargs=_pk),
    Route(
        "statistics:report-download",
        NATIONAL,
        world=_report,
        kwargs=lambda w: {"pk": w["report"].pk, "kind": "pdf"},
    ),
    Route("statistics:population", CONFIGURATION),
    Route("statistics:population", CONFIGURATION, method="POST", label="no file"),
    Route("statistics:htcds:list", HTCDS),
    Route(
        "statistics:htcds:list",
        HTCDS,
        method="POST",
        data=lambda w: {"fmt": "csv", "purpose": "Informe al CTDC"},
        ok=frozenset({302}),
    ),
    Route("statistics:htcds:detail", HTCDS, world=_htcds_export, kwargs=lambda w: {"pk": w["export"].pk}),
    Route(
        "statistics:htcds:download",
        HTCDS,
        world=_htcds_export,
        kwargs=lambda w: {"pk": w["export"].pk},
    ),
    Route("api:stats-indicators", READERS),
    Route("api:stats-indicator", READERS, kwargs=lambda w: {"code": "alerts.received"}, data=lambda w: PERIOD),
]
