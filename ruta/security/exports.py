"""Exports: each declares the permission it needs and whether it carries identities.

Apps offer theirs from ``plugin.py`` with ``register_export`` (aggregated ones usually with
``aggregate_export`` over one of their statistics indicators, ``ruta.core.indicators``).

Every export states its purpose, needs a recent re-authentication (the view enforces it), and writes
an ``export`` audit row with the purpose and the row count. Identified exports need
EXPORT_IDENTIFIED; aggregated ones suppress every cell below k (``RUTA_SMALL_CELL_K``, default 11)
and never go below department level."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.indicators import MONTH, Indicator
from ruta.core.registry import Registry
from ruta.policy import access
from ruta.policy.permissions import Permission, PlatformPermission

Rows = tuple[list[str], list[list[Any]]]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COUNTS_ONLY = _("Counts only; cells under 11 are suppressed.")


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


def _audit_log(actor: User, since: date | None, until: date | None) -> Rows:
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


def aggregate_export(
    code: str,
    label: Promise,
    indicator: Indicator,
    by: Sequence[str] | None = None,
    description: Promise = COUNTS_ONLY,
) -> ExportKind:
    """An export of an indicator's counts cut by ``by`` (which must not go below department level;
    by default the month and every dimension of the indicator), each cell suppressed below k; for
    holders of EXPORT_AGGREGATE."""
    by = (MONTH, *indicator.dimensions) if by is None else tuple(by)

    def build(actor: User, since: date | None, until: date | None) -> Rows:
        counts = indicator.count(since=since, until=until, by=by)
        rows = [["" if value is None else value for value in key] + [suppress(count)] for key, count in counts.items()]
        return [*by, "count"], rows

    return ExportKind(code, label, PlatformPermission.EXPORT_AGGREGATE, False, build, description)


_EXPORTS: Registry[ExportKind] = Registry("export", lambda kind: kind.code)


def register_export(kind: ExportKind) -> ExportKind:
    """Offer an export on the Exports page to the holders of its permission (from a ``plugin.py``)."""
    return _EXPORTS.register(kind)


AUDIT_LOG = ExportKind(
    "audit_log",
    _("Audit log"),
    PlatformPermission.AUDIT_VIEW,
    False,
    _audit_log,
    _("Every audit event you may see, one row each (CSV)."),
)


def export_permissions() -> tuple[Permission, ...]:
    """The permissions that open the Exports page: any one registered export's."""
    return tuple(sorted({kind.permission for kind in _EXPORTS.all()}))


def exports_for(user: User) -> list[ExportKind]:
    allowed = []
    for kind in _EXPORTS.all():
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
    *, actor: User, code: str, purpose: str, since: date | None = None, until: date | None = None, request: Any = None
) -> tuple[str, int]:
    """Build one export the actor may run; returns (csv text, row count) and audits it."""
    kind = _EXPORTS.get(code)
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
