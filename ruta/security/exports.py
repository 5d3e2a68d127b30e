"""Exports: each declares the permission it needs and whether it carries identities.

Every export states its purpose, needs a recent re-authentication (the view enforces it), and writes
an ``export`` audit row with the purpose and the row count. Identified exports need
EXPORT_IDENTIFIED; aggregated ones suppress every cell below k (``RUTA_SMALL_CELL_K``, default 11)
and never go below department level."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.policy import access
from ruta.policy.permissions import Permission, PlatformPermission

Rows = tuple[list[str], list[list[Any]]]
SUPPRESSED = "<11"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportKind:
    code: str
    label: Promise
    permission: Permission
    identified: bool
    build: Callable[[Any, date | None, date | None], Rows]
    description: Promise


def suppress(count: int) -> int | str:
    """Small-cell suppression: a count below k is published as "<k"."""
    k = settings.RUTA_SMALL_CELL_K
    return f"<{k}" if count < k else count


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas (CSV injection): text starting with = + - @ gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _audit_log(actor: Any, since: date | None, until: date | None) -> Rows:
    from ruta.audit.selectors import audit_events_visible

    events = audit_events_visible(actor=actor, since=since, until=until)
    header = ["at", "actor", "action", "object_type", "object_id", "object_reference", "summary", "reason", "ip"]
    rows = [
        [
            event.at.isoformat(),
            event.actor.get_username() if event.actor else "",
            event.action,
            event.object_type,
            event.object_id,
            event.object_reference,
            event.summary,
            event.reason,
            event.ip_address or "",
        ]
        for event in events.iterator(chunk_size=2000)
    ]
    return header, rows


def _aggregate(queryset: Any, date_field: str, department_path: str, category: str) -> Rows:
    counted = (
        queryset.annotate(month=TruncMonth(date_field))
        .values("month", department_path, category)
        .annotate(count=Count("id"))
        .order_by("month", department_path, category)
    )
    header = ["month", "department", category, "count"]
    rows = [
        [
            row["month"].strftime("%Y-%m") if row["month"] else "",
            row[department_path] or "",
            row[category],
            suppress(row["count"]),
        ]
        for row in counted
    ]
    return header, rows


def _filter_dates(queryset: Any, field: str, since: date | None, until: date | None) -> Any:
    if since:
        queryset = queryset.filter(**{f"{field}__date__gte": since})
    if until:
        queryset = queryset.filter(**{f"{field}__date__lte": until})
    return queryset


def _alerts_by_priority(actor: Any, since: date | None, until: date | None) -> Rows:
    from ruta.alerts.models import Alert

    alerts = _filter_dates(Alert.objects.filter(is_synthetic=False), "received_at", since, until)
    return _aggregate(alerts, "received_at", "department__code", "priority")


def _cases_by_stage(actor: Any, since: date | None, until: date | None) -> Rows:
    from ruta.cases.models import Case

    cases = _filter_dates(Case.objects.filter(is_synthetic=False), "opened_at", since, until)
    return _aggregate(cases, "opened_at", "municipality__department__code", "stage")


EXPORTS: dict[str, ExportKind] = {
    kind.code: kind
    for kind in [
        ExportKind(
            "audit_log",
            _("Audit log"),
            PlatformPermission.AUDIT_VIEW,
            False,
            _audit_log,
            _("Every audit event you may see, one row each (CSV)."),
        ),
        ExportKind(
            "alerts_by_priority",
            _("Alerts by month, department and priority"),
            PlatformPermission.EXPORT_AGGREGATE,
            False,
            _alerts_by_priority,
            _("Counts only; cells under 11 are suppressed."),
        ),
        ExportKind(
            "cases_by_stage",
            _("Cases by month, department and stage"),
            PlatformPermission.EXPORT_AGGREGATE,
            False,
            _cases_by_stage,
            _("Counts only; cells under 11 are suppressed."),
        ),
    ]
}


def exports_for(user: Any) -> list[ExportKind]:
    allowed = []
    for kind in EXPORTS.values():
        if not access.has_perm(user, kind.permission):
            continue
        if kind.identified and not access.has_perm(user, PlatformPermission.EXPORT_IDENTIFIED):
            continue
        allowed.append(kind)
    return allowed


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def export_run(
    *, actor: Any, code: str, purpose: str, since: date | None = None, until: date | None = None, request: Any = None
) -> tuple[str, int]:
    """Build one export the actor may run; returns (csv text, row count) and audits it."""
    kind = EXPORTS.get(code)
    if kind is None or kind not in exports_for(actor):
        raise PermissionError("export not available to this user")
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValueError("an export needs a stated purpose")
    with transaction.atomic():
        header, rows = kind.build(actor, since, until)
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type=f"export.{kind.code}",
            summary=f"{kind.code}: {len(rows)} rows ({since or '…'} – {until or '…'})",
            reason=purpose,
            request=request,
        )
    return to_csv(header, rows), len(rows)
