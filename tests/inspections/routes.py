"""Permission-matrix entries for every inspection page and API endpoint (the offline form's own
routes are in ``tests/inspections_field/routes.py``).

The world: a workplace in San Pedro Sula registered by the STSS inspection supervisor, with a visit
planned and assigned to the STSS labour inspector. The inspector reaches their own visits; the
supervisor the inspectorate's (institution); the national director every visit."""

from __future__ import annotations

import uuid
from typing import Any

from ruta.demo.personas import PERSONAS
from tests.access.harness import Route
from tests.inspections.factories import establishment, planned_visit


def _with_role(*roles: str) -> set[str]:
    return {persona.key for persona in PERSONAS if persona.role in roles}


INSPECTORS = _with_role("labour_inspector")
PLANNERS = _with_role("inspection_supervisor", "inspection_director")
SEE_VISITS = INSPECTORS | PLANNERS
REDIRECT = frozenset({302})


def _visit(personas: dict[str, Any]) -> dict[str, Any]:
    visit = planned_visit(personas)
    return {"visit": visit, "establishment": visit.establishment}


def _place(personas: dict[str, Any]) -> dict[str, Any]:
    return {"establishment": establishment(personas)}


def _uuid(world: dict[str, Any]) -> dict[str, Any]:
    return {"visit_uuid": str(world["visit"].uuid)}


def _plan_form(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "establishments": [world["establishment"].pk],
        "inspection_type": "programmed",
        "planned_for": "2026-05-04",
        "inspector": world["personas"]["labour_inspector"].pk,
    }


def _sync_body(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "records": [
            {
                "kind": "visit",
                "id": str(uuid.uuid4()),
                "base_version": None,
                "idempotency_key": "matrix-sync-1",
                "data": {
                    "establishment": world["establishment"].pk,
                    "inspection_type": "complaint",
                    "started_at": "2026-05-04T09:00:00-06:00",
                    "steps": {"entry": {"done": True, "note": ""}},
                    "status": "in_progress",
                },
            }
        ]
    }


ROUTES = [
    Route("inspections:visits", SEE_VISITS),
    Route("inspections:plan", PLANNERS),
    Route(
        "inspections:plan",
        PLANNERS,
        method="POST",
        world=_place,
        data=_plan_form,
        ok=REDIRECT,
        label="post",
    ),
    Route("inspections:visit", SEE_VISITS, world=_visit, kwargs=_uuid),
    Route(
        "inspections:assign",
        PLANNERS,
        method="POST",
        world=_visit,
        kwargs=_uuid,
        data=lambda w: {"inspector": w["personas"]["labour_inspector"].pk},
        ok=REDIRECT,
    ),
    Route("inspections:establishments", SEE_VISITS),
    Route("inspections:establishment", SEE_VISITS, world=_place, kwargs=lambda w: {"pk": w["establishment"].pk}),
    Route("inspections:establishment_new", SEE_VISITS),
    Route(
        "inspections:establishment_new",
        SEE_VISITS,
        method="POST",
        data=lambda w: {"name": "Maquiladora Matriz", "size": "unknown", **_sector_and_place()},
        ok=REDIRECT,
        label="post",
    ),
    Route("api:inspection-sync", INSPECTORS, method="POST", world=_place, data=_sync_body),
    Route("api:inspection-visits", INSPECTORS),
    Route("api:inspection-visit-detail", SEE_VISITS, world=_visit, kwargs=_uuid),
    # The harness posts JSON: a holder gets past the access check to "415 not multipart".
    Route("api:inspection-evidence", INSPECTORS, method="POST", world=_visit, kwargs=_uuid, ok=frozenset({415})),
]


def _sector_and_place() -> dict[str, Any]:
    from ruta.geo.models import Municipality
    from ruta.inspections.models import Sector

    return {"sector": Sector.objects.get(code="14").pk, "municipality": Municipality.objects.get(code="0501").pk}
