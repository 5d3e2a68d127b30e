"""HTCDS exports asked for on the web: requested with a purpose (audited), built by the worker,
downloaded (audited). The file itself is ``ruta.statistics.htcds``'s."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.jobs.services import enqueue
from ruta.statistics.htcds import FORMATS, export_htcds
from ruta.statistics.models import HtcdsExport, ReportStatus

JOB_KIND = "statistics.htcds_export"


def htcds_request(*, actor: User, fmt: str, purpose: str, request: Any = None) -> HtcdsExport:
    purpose = purpose.strip()
    if fmt not in FORMATS or not purpose:
        raise ValueError("an HTCDS export needs a known format and a stated purpose")
    with transaction.atomic():
        export = HtcdsExport.objects.create(
            fmt=fmt,
            k=settings.RUTA_SMALL_CELL_K,
            purpose=purpose,
            requested_by=actor,
            requested_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=export,
            summary=f"htcds export requested ({fmt}, k={export.k})",
            reason=purpose,
            request=request,
        )
        enqueue(JOB_KIND, {"export": export.pk})
    return export


def htcds_build(export_id: int) -> None:
    """The job: runs inside the job's transaction, so the file and the "ready" mark commit together."""
    export = HtcdsExport.objects.select_for_update().filter(pk=export_id).first()
    if export is None or export.status == ReportStatus.READY:
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"htcds.{export.fmt}"
        report = export_htcds(path, fmt=export.fmt, k=export.k)
        export.content = path.read_bytes()
    export.rows, export.suppressed, export.generalised = report.rows, report.suppressed, report.generalised
    export.status, export.finished_at = ReportStatus.READY, timezone.now()
    export.save()


def htcds_downloaded(*, actor: User, export: HtcdsExport, request: Any = None) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            obj=export,
            object_type="export.htcds",
            summary=f"htcds ({export.fmt}, k={export.k}): {export.rows} rows, {export.suppressed} suppressed",
            reason=export.purpose,
            request=request,
        )
