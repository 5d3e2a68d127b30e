"""Permission matrix entries for every competency page.

The world: the seeded labour inspectors' framework; the inspector persona (STSS, no department) has a
submitted self-assessment and a draft. Only the training coordinator (no territory: the whole
country) reaches the inspector; the ERI and SESAL supervisors reach their own institutions only."""

from __future__ import annotations

from typing import Any

from ruta.competencies.inspector_framework import FRAMEWORK_CODE
from tests.access.harness import EVERYONE, Route
from tests.competencies.factories import assess, form_data, inspector_framework

REDIRECT = frozenset({302})
MANAGERS = {"administrator", "training_coordinator"}
HEATMAP = {"training_coordinator", "supervisor", "supervisor_health", "analyst"}
PEOPLE = {"training_coordinator", "supervisor", "supervisor_health"}
REACH_INSPECTOR = {"training_coordinator"}


def _assessed(personas: dict[str, Any]) -> dict[str, Any]:
    inspector = personas["labour_inspector"]
    return {
        "inspector": inspector,
        "submitted": assess(inspector, [2] * 13),
        "draft": assess(inspector, [1] * 13, submit=False),
    }


def _framework(personas: dict[str, Any]) -> dict[str, Any]:
    return {"framework": inspector_framework()}


def code(world: dict[str, Any]) -> dict[str, Any]:
    return {"code": FRAMEWORK_CODE}


def person(world: dict[str, Any]) -> dict[str, Any]:
    return {"user_id": world["inspector"].pk}


ROUTES = [
    Route("competencies:mine", {EVERYONE}),
    Route("competencies:frameworks", {EVERYONE}),
    Route("competencies:framework", {EVERYONE}, kwargs=code),
    Route("competencies:export", {EVERYONE}, kwargs=lambda w: {"code": FRAMEWORK_CODE, "fmt": "xlsx"}),
    Route("competencies:export", {EVERYONE}, kwargs=lambda w: {"code": FRAMEWORK_CODE, "fmt": "csv"}, label="csv"),
    Route("competencies:import", MANAGERS),
    # A form post without a file: the page answers with the form again (and imports nothing).
    Route("competencies:import", MANAGERS, method="POST", data=lambda w: {}, label="post"),
    Route("competencies:self_assess", {EVERYONE}, kwargs=code),
    Route(
        "competencies:self_assess",
        {EVERYONE},
        method="POST",
        world=_framework,
        kwargs=code,
        data=lambda w: form_data(w["framework"]),
        ok=REDIRECT,
        label="post",
    ),
    Route("competencies:heatmap", HEATMAP),
    Route("competencies:people", PEOPLE),
    Route("competencies:person", REACH_INSPECTOR, world=_assessed, kwargs=person),
    Route(
        "competencies:assess",
        REACH_INSPECTOR,
        world=_assessed,
        kwargs=lambda w: {"user_id": w["inspector"].pk, "code": FRAMEWORK_CODE},
    ),
    Route(
        "competencies:assess",
        REACH_INSPECTOR,
        method="POST",
        world=_assessed,
        kwargs=lambda w: {"user_id": w["inspector"].pk, "code": FRAMEWORK_CODE},
        data=lambda w: form_data(inspector_framework(), kind="supervisor"),
        ok=REDIRECT,
        label="post",
    ),
    Route(
        "competencies:assessment",
        {"labour_inspector"} | REACH_INSPECTOR,
        world=_assessed,
        kwargs=lambda w: {"pk": w["submitted"].pk},
    ),
    Route("competencies:edit", {"labour_inspector"}, world=_assessed, kwargs=lambda w: {"pk": w["draft"].pk}),
    Route(
        "competencies:edit",
        {"labour_inspector"},
        method="POST",
        world=_assessed,
        kwargs=lambda w: {"pk": w["draft"].pk},
        data=lambda w: {**form_data(inspector_framework()), "action": "submit"},
        ok=REDIRECT,
        label="post",
    ),
]
