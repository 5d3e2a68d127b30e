"""Permission matrix entries for every instrument page.

The world: the capacity questionnaire imported by the study coordinator (ONG Fortalece) and one
web submission entered by the enumerator of the same institution."""

from __future__ import annotations

from typing import Any

from tests.access.harness import Route
from tests.instruments.factories import VALID_ANSWERS, capacity_version, web_submission

READERS = {"study_coordinator", "enumerator"}
COORDINATOR = {"study_coordinator"}
REDIRECT = frozenset({302})
INVALID = frozenset({400})


def _form(personas: dict[str, Any]) -> dict[str, Any]:
    version = capacity_version(personas["study_coordinator"])
    return {"version": version, "instrument": version.instrument}


def _submitted(personas: dict[str, Any]) -> dict[str, Any]:
    world = _form(personas)
    world["submission"] = web_submission(world["version"], personas["enumerator"])
    return world


def instrument(world: dict[str, Any]) -> dict[str, Any]:
    return {"pk": world["instrument"].pk}


def version(world: dict[str, Any]) -> dict[str, Any]:
    return {"pk": world["version"].pk}


def _answers(world: dict[str, Any]) -> dict[str, Any]:
    answers = {key: value for key, value in VALID_ANSWERS.items() if key != "programme"}
    return {**answers, "idempotency_key": "matrix-fill"}


ROUTES = [
    Route("instruments:list", READERS),
    Route("instruments:upload", COORDINATOR),
    Route("instruments:upload", COORDINATOR, method="POST", ok=INVALID, label="no file"),
    Route("instruments:detail", READERS, world=_form, kwargs=instrument),
    Route("instruments:version", READERS, world=_form, kwargs=version),
    Route("instruments:fill", READERS, world=_form, kwargs=version),
    Route(
        "instruments:fill",
        READERS,
        method="POST",
        world=_form,
        kwargs=version,
        data=_answers,
        ok=REDIRECT,
        label="save",
    ),
    Route("instruments:relevance", READERS, method="POST", world=_form, kwargs=version, data=_answers),
    Route("instruments:export_xlsform", COORDINATOR, world=_form, kwargs=version),
    Route("instruments:export_xform", COORDINATOR, world=_form, kwargs=version),
    Route("instruments:submissions", READERS, world=_submitted, kwargs=instrument),
    Route("instruments:submission", READERS, world=_submitted, kwargs=lambda w: {"pk": w["submission"].pk}),
    Route("instruments:import", COORDINATOR, world=_form, kwargs=instrument),
    Route(
        "instruments:import", COORDINATOR, method="POST", world=_form, kwargs=instrument, ok=INVALID, label="no file"
    ),
    Route("api:instrument-list", READERS),
    Route("api:instrument-detail", READERS, world=_form, kwargs=instrument),
    Route("instruments:pull", COORDINATOR, method="POST", world=_form, kwargs=instrument, ok=REDIRECT),
]
