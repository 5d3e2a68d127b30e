"""The offline form's outbox (DESIGN §7): each record saved whole or not at all, once per idempotency
key, with version numbers; a stale version is a conflict that keeps both versions.

Per record: ``created`` (a new id), ``updated`` (the version it edited was the current one),
``unchanged`` (it says what the server already has), ``conflict`` (it edited an older version: the
client's version is kept as a ``SyncConflict`` and the answer carries the server's), ``invalid``
(field errors; nothing saved)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_read, audit_record
from ruta.core.idempotency import MAX_KEY_LENGTH, run_idempotent
from ruta.inspections import records
from ruta.inspections.handover import handover_if_due
from ruta.inspections.models import (
    Establishment,
    Infraction,
    Protocol,
    SyncConflict,
    Visit,
    VisitStatus,
    WorkerInterview,
)
from ruta.inspections.permissions import InspectionPermission
from ruta.inspections.protocols import current_protocol, protocol_complete
from ruta.inspections.records import RecordInvalid
from ruta.inspections.services import acting_inspectorate, follow_up_for
from ruta.jobs.services import enqueue
from ruta.policy import access
from ruta.screening.errors import IndicatorCodeError, InvalidInputError, ScreeningError
from ruta.screening.services import screening_record_create

KINDS = ("visit", "interview", "infraction")
MAX_RECORDS = 200
SCREENING_SUBJECT = "inspection_interview"


class EnvelopeError(Exception):
    """The body is not ``{"records": [...]}``: the whole request is refused (400)."""


@dataclass
class Result:
    id: str
    status: str
    version: int = 0
    errors: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    server: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "status": self.status, "version": self.version}
        if self.errors:
            body["errors"] = self.errors
        if self.server is not None:
            body["server"] = self.server
        return body


def invalid(record_id: str, errors: Mapping[str, list[tuple[str, str]]], version: int = 0) -> Result:
    return Result(
        record_id,
        "invalid",
        version,
        errors={
            name: [{"code": code, "message": message} for code, message in items] for name, items in errors.items()
        },
    )


def records_of(body: Any) -> list[Any]:
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise EnvelopeError(_('The body must be {"records": [...]}.'))
    return list(body["records"])


def sync_batch(*, actor: User, items: list[Any]) -> list[dict[str, Any]]:
    """One result per record, in order; each record commits (or not) on its own."""
    if not access.has_perm(actor, InspectionPermission.RECORD):
        raise PermissionDenied
    return [sync_record(actor=actor, item=item).as_json() for item in items]


def _envelope(item: Any) -> tuple[str, str, int | None, str, dict[str, Any]] | Result:
    if not isinstance(item, dict):
        return invalid("", {"record": [("invalid", _("Each record is an object."))]})
    record_id = item.get("id")
    try:
        parsed = str(uuid.UUID(str(record_id)))
    except (TypeError, ValueError, AttributeError):
        return invalid(str(record_id or ""), {"id": [("invalid", _("The id must be a UUID."))]})
    errors: dict[str, list[tuple[str, str]]] = {}
    kind = item.get("kind")
    if kind not in KINDS:
        errors["kind"] = [("invalid_choice", _("Kind must be one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)})]
    base = item.get("base_version")
    if base is not None and (isinstance(base, bool) or not isinstance(base, int) or base < 1):
        errors["base_version"] = [("invalid", _("The base version is a positive whole number or null."))]
    key = item.get("idempotency_key")
    if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY_LENGTH:
        errors["idempotency_key"] = [("invalid", _("Give an idempotency key (at most 128 characters)."))]
    data = item.get("data")
    if not isinstance(data, dict):
        errors["data"] = [("invalid", _("The data must be an object."))]
    if errors:
        return invalid(parsed, errors)
    return str(kind), parsed, base, str(key).strip(), dict(data or {})


def sync_record(*, actor: User, item: Any) -> Result:
    parsed = _envelope(item)
    if isinstance(parsed, Result):
        return parsed
    kind, record_id, base, key, data = parsed
    apply = APPLY[kind]

    def work() -> tuple[int, dict[str, Any]]:
        return 200, apply(actor, record_id, base, data).as_json()

    answer = run_idempotent(
        scope=f"inspections.sync.{actor.pk}", key=key, payload={"kind": kind, "id": record_id, "data": data}, work=work
    )
    body = answer.body
    if body["status"] in ("created", "updated"):
        # After the record committed, in its own transaction: a failing alert intake never loses
        # what the inspector typed, and a retried sync (even a replay) completes a missed hand-over.
        visit = _visit_of(record_id if kind == "visit" else data.get("visit"))
        if visit is not None:
            _after_save(actor, visit, replayed=answer.replayed)
    return Result(body["id"], body["status"], body["version"], body.get("errors", {}), body.get("server"))


def _visit_of(visit_uuid: Any) -> Visit | None:
    try:
        return Visit.objects.filter(uuid=str(visit_uuid)).first()
    except ValidationError:
        return None


def _after_save(actor: User, visit: Visit, *, replayed: bool) -> None:
    handover_if_due(actor=actor, visit=visit)
    if visit.status == VisitStatus.COMPLETED and not replayed:
        enqueue(
            "inspections.refresh_risk",
            {"establishment_ids": [visit.establishment_id]},
            dedupe_key=f"inspections.refresh_risk.{visit.establishment_id}.{visit.version}",
        )


def _recordable(actor: User, visit_uuid: Any) -> Visit | None:
    try:
        return (
            access.visible(actor, InspectionPermission.RECORD, Visit.objects.select_related("protocol"))
            .select_for_update()
            .get(uuid=visit_uuid)
        )
    except (Visit.DoesNotExist, ValidationError, ValueError, TypeError):
        return None


def _conflict(
    actor: User,
    kind: str,
    record_id: str,
    visit: Visit,
    base: int | None,
    client: dict[str, Any],
    version: int,
    server: dict[str, Any],
) -> Result:
    SyncConflict.objects.create(
        kind=kind,
        record_id=record_id,
        visit=visit,
        user=actor,
        base_version=base or 0,
        client_data=client,
        server_version=version,
        server_data=server,
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=visit, summary=f"sync conflict on {kind} {record_id}")
    return Result(record_id, "conflict", version, server={"version": version, "data": server})


def _resolve_conflicts(actor: User, record_id: str) -> None:
    SyncConflict.objects.filter(record_id=record_id, user=actor, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def _compare(
    actor: User,
    kind: str,
    record_id: str,
    visit: Visit,
    base: int | None,
    client: dict[str, Any],
    version: int,
    server: dict[str, Any],
) -> Result | None:
    """The answer when the record exists and the client's data cannot simply be applied, else None."""
    if client == server:
        return Result(record_id, "unchanged", version)
    if base != version:
        return _conflict(actor, kind, record_id, visit, base, client, version, server)
    return None


# --- visits ------------------------------------------------------------------------------------------


def _refresh_visit_flags(visit: Visit) -> None:
    visit.protocol_complete = protocol_complete(visit.protocol, visit.steps)
    visit.has_findings = visit.immediate_danger or (
        visit.pk is not None and visit.interviews.filter(Q(has_indicators=True) | Q(immediate_danger=True)).exists()
    )
    visit.visit_date = timezone.localtime(visit.started_at).date() if visit.started_at else visit.planned_for


def _apply_visit(actor: User, record_id: str, base: int | None, data: dict[str, Any]) -> Result:
    existing = Visit.objects.select_related("protocol").filter(uuid=record_id).first()
    visit = _recordable(actor, record_id) if existing is not None else None
    if existing is not None and visit is None:
        return invalid(record_id, {"id": [("not_found", _("No such visit among yours."))]})
    protocol = visit.protocol if visit is not None else _current_protocol_or_none(data)
    try:
        cleaned = records.clean_visit(data, step_codes=[s.code for s in protocol.steps.all()] if protocol else None)
    except RecordInvalid as error:
        return invalid(record_id, error.errors, visit.version if visit else 0)
    establishment = access.visible(
        actor, InspectionPermission.ESTABLISHMENT_VIEW, Establishment.objects.filter(pk=cleaned["establishment"])
    ).first()
    if establishment is None:
        return invalid(
            record_id,
            {
                "establishment": [
                    ("unknown_establishment", _("Unknown establishment: %(id)s.") % {"id": cleaned["establishment"]})
                ]
            },
        )
    client = records.as_data(cleaned)
    if visit is None:
        if base is not None:
            return invalid(
                record_id,
                {"base_version": [("not_found", _("This visit does not exist yet: send it with base_version null."))]},
            )
        visit = Visit(
            uuid=record_id,
            establishment=establishment,
            inspection_type=cleaned["inspection_type"],
            inspector=actor,
            institution=acting_inspectorate(actor, InspectionPermission.RECORD),
            municipality_id=establishment.municipality_id,
            department_id=establishment.department_id,
            protocol=current_protocol(cleaned["inspection_type"]),
            created_by=actor,
            planned_for=timezone.localdate(),
        )
        status = "created"
    else:
        answer = _compare(actor, "visit", record_id, visit, base, client, visit.version, records.visit_data(visit))
        if answer is not None:
            return answer
        if establishment.pk != visit.establishment_id or cleaned["inspection_type"] != visit.inspection_type:
            return invalid(
                record_id,
                {"establishment": [("immutable", _("A visit's establishment and type do not change once planned."))]},
                visit.version,
            )
        visit.version += 1
        status = "updated"
    for name in ("started_at", "steps", "observations", "immediate_danger", "danger_note", "status", "closed_at"):
        setattr(visit, name, cleaned[name])
    _refresh_visit_flags(visit)
    visit.save()
    _resolve_conflicts(actor, record_id)
    if visit.status == VisitStatus.COMPLETED:
        _plan_follow_up(actor, visit)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if status == "created" else AuditAction.UPDATE,
        obj=visit,
        summary=f"inspection visit synced (v{visit.version}, {visit.status})",
    )
    return Result(record_id, status, visit.version)


def _current_protocol_or_none(data: Mapping[str, Any]) -> Protocol | None:
    try:
        return current_protocol(str(data.get("inspection_type")))
    except Protocol.DoesNotExist:
        return None  # clean_visit names the unknown type


def _plan_follow_up(actor: User, visit: Visit) -> None:
    due = (
        Infraction.objects.filter(visit=visit, remedied_at__isnull=True, remedy_due_at__isnull=False)
        .order_by("-remedy_due_at")
        .values_list("remedy_due_at", flat=True)
        .first()
    )
    if due is not None:
        follow_up_for(actor=actor, visit=visit, due=timezone.localtime(due).date())


# --- interviews --------------------------------------------------------------------------------------


def _screen(actor: User, record_id: str, cleaned: Mapping[str, Any]) -> tuple[Any, str]:
    """The formal ILO–EC screening of a worker with indicators (None when no ILO–EC indicator)."""
    if not cleaned["ilo_ec_indicators"]:
        return None, ""
    record = screening_record_create(
        actor=actor,
        subject_type=SCREENING_SUBJECT,
        subject_id=record_id,
        age=cleaned["age"],
        presumed_child=True if cleaned["age_group"] == "child" else None,
        exploitation=cleaned["exploitation"],
        indicator_codes=cleaned["ilo_ec_indicators"],
    )
    return record, record.outcome


def _screening_errors(error: ScreeningError) -> dict[str, list[tuple[str, str]]]:
    if isinstance(error, InvalidInputError):
        return {("ilo_ec_indicators" if name == "indicators" else name): items for name, items in error.errors.items()}
    code = error.code if isinstance(error, IndicatorCodeError) else "invalid"
    return {"ilo_ec_indicators": [(code, str(error))]}


def _apply_interview(actor: User, record_id: str, base: int | None, data: dict[str, Any]) -> Result:
    existing = WorkerInterview.objects.select_related("visit").filter(uuid=record_id).first()
    try:
        cleaned = records.clean_interview(data)
    except RecordInvalid as error:
        return invalid(record_id, error.errors, existing.version if existing else 0)
    visit = _recordable(actor, cleaned["visit"])
    if visit is None or (existing is not None and existing.visit_id != visit.pk):
        return invalid(
            record_id, {"visit": [("unknown_visit", _("Unknown visit: %(id)s.") % {"id": cleaned["visit"]})]}
        )
    client = dict(cleaned)
    if existing is not None:
        answer = _compare(
            actor,
            "interview",
            record_id,
            visit,
            base,
            client,
            existing.version,
            records.interview_data(existing, identities=True),
        )
        if answer is not None:
            if answer.status == "conflict" and existing.is_identified:
                # The server's copy goes back to the inspector with the worker's identity: a read.
                audit_read(actor=actor, obj=existing, reason="inspection interview identity")
            return answer
    elif base is not None:
        return invalid(
            record_id,
            {"base_version": [("not_found", _("This interview does not exist yet: send it with base_version null."))]},
        )
    screened_before = existing is not None and (
        existing.ilo_ec_indicators == cleaned["ilo_ec_indicators"]
        and existing.age == cleaned["age"]
        and existing.exploitation == cleaned["exploitation"]
        and existing.age_group == cleaned["age_group"]
    )
    try:
        screening, outcome = (
            (existing.screening, existing.screening_outcome)
            if screened_before and existing
            else _screen(actor, record_id, cleaned)
        )
    except ScreeningError as error:
        return invalid(record_id, _screening_errors(error), existing.version if existing else 0)
    interview = existing or WorkerInterview(uuid=record_id, visit=visit, created_by=actor)
    for name, value in cleaned.items():
        if name != "visit":
            setattr(interview, name, value)
    interview.has_indicators = bool(cleaned["forced_labour_indicators"] or cleaned["ilo_ec_indicators"])
    interview.screening, interview.screening_outcome = screening, outcome
    status = "created" if existing is None else "updated"
    if existing is not None:
        interview.version += 1
    interview.save()
    _refresh_visit_flags(visit)
    visit.save(update_fields=["protocol_complete", "has_findings", "visit_date", "updated_at"])
    _resolve_conflicts(actor, record_id)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if existing is None else AuditAction.UPDATE,
        obj=interview,
        summary=f"worker interview synced (v{interview.version})",
    )
    return Result(record_id, status, interview.version)


# --- infractions -------------------------------------------------------------------------------------


def _apply_infraction(actor: User, record_id: str, base: int | None, data: dict[str, Any]) -> Result:
    existing = Infraction.objects.select_related("visit", "legal_basis").filter(uuid=record_id).first()
    try:
        cleaned = records.clean_infraction(data)
    except RecordInvalid as error:
        return invalid(record_id, error.errors, existing.version if existing else 0)
    visit = _recordable(actor, cleaned["visit"])
    if visit is None or (existing is not None and existing.visit_id != visit.pk):
        return invalid(
            record_id, {"visit": [("unknown_visit", _("Unknown visit: %(id)s.") % {"id": cleaned["visit"]})]}
        )
    client = records.infraction_as_data(cleaned)
    if existing is not None:
        answer = _compare(
            actor, "infraction", record_id, visit, base, client, existing.version, records.infraction_data(existing)
        )
        if answer is not None:
            return answer
    elif base is not None:
        return invalid(
            record_id,
            {"base_version": [("not_found", _("This infraction does not exist yet: send it with base_version null."))]},
        )
    infraction = existing or Infraction(uuid=record_id, visit=visit, created_by=actor)
    infraction.legal_basis = cleaned["legal_basis"]
    infraction.description = cleaned["description"]
    infraction.remedy = cleaned["remedy"]
    infraction.remedy_due_at = records.end_of_day(cleaned["remedy_due"]) if cleaned["remedy_due"] else None
    if existing is not None:
        infraction.version += 1
    infraction.save()
    if visit.status == VisitStatus.COMPLETED:
        _plan_follow_up(actor, visit)
    _resolve_conflicts(actor, record_id)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if existing is None else AuditAction.UPDATE,
        obj=infraction,
        summary=f"infraction synced ({infraction.legal_basis.code}, v{infraction.version})",
    )
    return Result(record_id, "created" if existing is None else "updated", infraction.version)


APPLY: dict[str, Callable[[User, str, int | None, dict[str, Any]], Result]] = {
    "visit": _apply_visit,
    "interview": _apply_interview,
    "infraction": _apply_infraction,
}
