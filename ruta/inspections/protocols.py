"""The procedure as data: the current protocol of each inspection type, new versions when the
ministry edits one that visits already follow, and whether a visit did every required step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.inspections.models import Protocol, ProtocolStep


def current_protocol(inspection_type: str) -> Protocol:
    return Protocol.objects.get(inspection_type=inspection_type, is_current=True)


def required_steps(protocol: Protocol) -> list[str]:
    return [step.code for step in protocol.steps.all() if step.required]


def protocol_complete(protocol: Protocol, steps: Mapping[str, Any]) -> bool:
    """Every required step of the version the visit follows is checked off."""
    return all(bool((steps.get(code) or {}).get("done")) for code in required_steps(protocol))


def protocol_in_use(protocol: Protocol) -> bool:
    return protocol.visits.exists()


@transaction.atomic
def protocol_new_version(*, actor: User | None, protocol: Protocol, note: str = "") -> Protocol:
    """A copy of ``protocol`` (with its steps) as the type's new current version; the old one stays
    as it was for the visits that followed it."""
    locked = Protocol.objects.select_for_update().get(pk=protocol.pk)
    latest = Protocol.objects.filter(inspection_type=locked.inspection_type).order_by("-version").first()
    version = (latest.version if latest else locked.version) + 1
    Protocol.objects.filter(inspection_type=locked.inspection_type, is_current=True).update(is_current=False)
    new = Protocol.objects.create(inspection_type=locked.inspection_type, version=version, is_current=True, note=note)
    ProtocolStep.objects.bulk_create(
        ProtocolStep(
            protocol=new,
            code=step.code,
            position=step.position,
            required=step.required,
            competency_codes=list(step.competency_codes),
            labels=dict(step.labels),
            guidance=dict(step.guidance),
            required_evidence=dict(step.required_evidence),
        )
        for step in locked.steps.all()
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONFIG,
        obj=new,
        summary=f"protocol {new.inspection_type} v{new.version} (from v{locked.version})",
    )
    return new


def editable_protocol(*, actor: User | None, protocol: Protocol) -> Protocol:
    """The version an edit may change: the protocol itself while no visit follows it, else a new version."""
    return protocol_new_version(actor=actor, protocol=protocol) if protocol_in_use(protocol) else protocol
