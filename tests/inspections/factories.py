"""Building establishments, visits and synced records for the inspection tests, through the services."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from ruta.geo.models import Municipality
from ruta.inspections.models import Establishment, Sector, Visit
from ruta.inspections.registry import EstablishmentInput, establishment_create
from ruta.inspections.services import visit_plan
from ruta.inspections.sync import sync_batch

_counter = iter(range(1, 10**6))


def establishment(
    personas: dict[str, Any], *, name: str | None = None, sector: str = "97", municipality: str = "0501", **extra: Any
) -> Establishment:
    return establishment_create(
        actor=personas["inspection_supervisor"],
        data=EstablishmentInput(
            name=name or f"Finca Prueba {next(_counter)}",
            sector=Sector.objects.get(code=sector),
            municipality=Municipality.objects.get(code=municipality),
            **extra,
        ),
    )


def planned_visit(
    personas: dict[str, Any],
    *,
    place: Establishment | None = None,
    inspection_type: str = "programmed",
    planned_for: date | None = None,
    inspector: str | None = "labour_inspector",
) -> Visit:
    return visit_plan(
        actor=personas["inspection_supervisor"],
        establishment=place or establishment(personas),
        inspection_type=inspection_type,
        planned_for=planned_for or date(2026, 3, 2),
        inspector=personas[inspector] if inspector else None,
    )


def visit_record(visit: Visit, *, base: int | None = None, key: str | None = None, **data: Any) -> dict[str, Any]:
    body = {
        "establishment": visit.establishment_id,
        "inspection_type": visit.inspection_type,
        "started_at": "2026-03-02T09:00:00-06:00",
        "steps": {},
        "observations": "",
        "immediate_danger": False,
        "danger_note": "",
        "status": "in_progress",
        "closed_at": None,
    }
    body.update(data)
    return {
        "kind": "visit",
        "id": str(visit.uuid),
        "base_version": visit.version if base is None else base,
        "idempotency_key": key or uuid.uuid4().hex,
        "data": body,
    }


def interview_record(
    visit: Visit | str, *, record_id: str | None = None, base: int | None = None, key: str | None = None, **data: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "visit": str(visit.uuid) if isinstance(visit, Visit) else visit,
        "held_in_private": True,
        "age": 30,
        "age_group": "adult",
        "sex": "female",
        "nationality": "HN",
        "job": "Cortadora",
        "consent_to_identify": False,
        "given_names": "",
        "family_names": "",
        "forced_labour_indicators": [],
        "ilo_ec_indicators": [],
        "exploitation": "labour",
        "hazardous_work": False,
        "immediate_danger": False,
        "notes": "",
    }
    body.update(data)
    return {
        "kind": "interview",
        "id": record_id or str(uuid.uuid4()),
        "base_version": base,
        "idempotency_key": key or uuid.uuid4().hex,
        "data": body,
    }


def all_steps_done(visit: Visit) -> dict[str, Any]:
    return {step.code: {"done": True, "note": ""} for step in visit.protocol.steps.all()}


def sync(personas: dict[str, Any], *records: dict[str, Any], who: str = "labour_inspector") -> list[dict[str, Any]]:
    return sync_batch(actor=personas[who], items=list(records))
