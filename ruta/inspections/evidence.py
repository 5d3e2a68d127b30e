"""Evidence files of a visit: checked (type, size, content), encrypted at rest, stored once per
idempotency key."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.db import transaction

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.idempotency import run_idempotent
from ruta.inspections.models import Evidence, Visit, WorkerInterview
from ruta.security.uploads import validate_upload

EVIDENCE_TYPES = ("jpg", "jpeg", "png", "pdf")


def evidence_max_bytes() -> int:
    """Files above this are refused with 413; the request-size limit applies first."""
    return min(settings.RUTA_UPLOAD_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def evidence_check(upload: Any) -> str:
    """The file's type, or a ``ValidationError`` (code ``file_too_large`` when it is too big)."""
    return validate_upload(upload, allowed=EVIDENCE_TYPES, max_bytes=evidence_max_bytes())


def evidence_add(
    *, actor: User, visit: Visit, upload: Any, file_type: str, interview: WorkerInterview | None, key: str | None
) -> tuple[int, dict[str, Any]]:
    """Store a checked file; the same key again answers the same and stores nothing new."""

    def work() -> tuple[int, dict[str, Any]]:
        with transaction.atomic():
            content = upload.read()
            evidence = Evidence.objects.create(
                visit=visit,
                interview=interview,
                file_type=file_type,
                size=len(content),
                content=base64.b64encode(content).decode("ascii"),
                uploaded_by=actor,
            )
            audit_record(actor=actor, action=AuditAction.CREATE, obj=evidence, summary=f"evidence {file_type}")
        return 201, {"id": str(evidence.uuid), "type": file_type, "size": evidence.size}

    result = run_idempotent(
        scope=f"inspections.evidence.{actor.pk}",
        key=key or None,
        payload={"visit": str(visit.uuid), "name": getattr(upload, "name", ""), "size": getattr(upload, "size", 0)},
        work=work,
    )
    return result.status, result.body
