"""The §7 sync endpoint: per-record answers, versions, conflicts kept both sides, idempotent replays,
bad envelopes (400) and oversized batches (413)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client, override_settings

from ruta.inspections.models import SyncConflict, Visit, WorkerInterview
from tests.inspections.factories import interview_record, planned_visit, sync, visit_record

pytestmark = pytest.mark.django_db
URL = "/api/v1/inspections/sync/"


def _post(client: Client, body: Any, raw: bytes | None = None) -> Any:
    return client.generic("POST", URL, raw if raw is not None else json.dumps(body), content_type="application/json")


def test_created_updated_unchanged(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    first = visit_record(visit, observations="Galera cerrada con candado")
    interview = interview_record(visit)
    results = sync(personas, first, interview)
    assert [(r["status"], r["version"]) for r in results] == [("updated", 2), ("created", 1)]
    # The same content again, under new keys: nothing to change.
    again = dict(first, base_version=2, idempotency_key="k-again")
    same_interview = dict(interview, idempotency_key="k-int-again", base_version=1)
    assert [(r["status"], r["version"]) for r in sync(personas, again, same_interview)] == [
        ("unchanged", 2),
        ("unchanged", 1),
    ]
    visit.refresh_from_db()
    assert (visit.version, visit.status, visit.observations) == (2, "in_progress", "Galera cerrada con candado")


def test_replayed_key_answers_the_same_and_saves_nothing(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    record = interview_record(visit, key="same-key")
    first = sync(personas, record)
    replay = sync(personas, record)
    assert first == replay and first[0]["status"] == "created"
    assert WorkerInterview.objects.filter(visit=visit).count() == 1


def test_stale_version_is_a_conflict_keeping_both(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    sync(personas, visit_record(visit, observations="server side"))  # v1 -> v2
    stale = visit_record(visit, base=1, observations="offline side")
    result = sync(personas, stale)[0]
    assert result["status"] == "conflict" and result["version"] == 2
    assert result["server"]["version"] == 2 and result["server"]["data"]["observations"] == "server side"
    conflict = SyncConflict.objects.get(record_id=visit.uuid)
    assert conflict.client_data["observations"] == "offline side" and conflict.resolved_at is None
    visit.refresh_from_db()
    assert visit.observations == "server side"
    # The inspector resolves it: a new update on the server's version.
    resolved = sync(personas, visit_record(visit, base=2, observations="merged by hand"))[0]
    assert (resolved["status"], resolved["version"]) == ("updated", 3)
    conflict.refresh_from_db()
    assert conflict.resolved_at is not None


def test_one_bad_record_does_not_stop_the_others(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    bad = interview_record(visit, age=15, age_group="adult", forced_labour_indicators=["FL99"], sex="x")
    good = interview_record(visit)
    results = sync(personas, bad, good)
    assert results[0]["status"] == "invalid"
    assert set(results[0]["errors"]) == {"age_group", "forced_labour_indicators", "sex"}
    assert "FL99" in results[0]["errors"]["forced_labour_indicators"][0]["message"]
    assert results[1]["status"] == "created"
    assert WorkerInterview.objects.filter(visit=visit).count() == 1


def test_unknown_codes_are_named(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    results = sync(
        personas,
        visit_record(visit, steps={"dance": {"done": True, "note": ""}}),
        interview_record(visit, ilo_ec_indicators=["THB-XX-01"]),
        {
            "kind": "infraction",
            "id": str(uuid.uuid4()),
            "base_version": None,
            "idempotency_key": "inf-1",
            "data": {"visit": str(visit.uuid), "legal_basis": "art-999"},
        },
    )
    assert [r["status"] for r in results] == ["invalid"] * 3
    assert results[0]["errors"]["steps"][0]["code"] == "unknown_step"
    assert "dance" in results[0]["errors"]["steps"][0]["message"]
    assert results[1]["errors"]["ilo_ec_indicators"][0]["code"] == "unknown_indicator"
    assert "art-999" in results[2]["errors"]["legal_basis"][0]["message"]


def test_someone_elses_visit_is_not_found(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas, inspector=None)
    result = sync(personas, visit_record(visit))[0]
    assert result["status"] == "invalid" and result["errors"]["id"][0]["code"] == "not_found"


def test_unplanned_complaint_visit_is_created(personas: dict[str, Any]) -> None:
    planned = planned_visit(personas)
    new_id = str(uuid.uuid4())
    record = visit_record(planned, inspection_type="complaint") | {"id": new_id, "base_version": None}
    assert sync(personas, record)[0] == {"id": new_id, "status": "created", "version": 1}
    created = Visit.objects.get(uuid=new_id)
    assert (created.inspector, created.inspection_type, created.protocol.inspection_type) == (
        personas["labour_inspector"],
        "complaint",
        "complaint",
    )


def test_http_envelope_errors(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["labour_inspector"])
    assert _post(client, None, raw=b"{not json").status_code == 400
    response = _post(client, {"items": []})
    assert (
        response.status_code == 400 and response.json()["errors"]["non_field_errors"][0]["code"] == "invalid_envelope"
    )
    assert _post(client, {"records": []}).json() == {"results": []}


def test_http_too_large(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["labour_inspector"])
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048):
        response = _post(client, {"records": [{"kind": "visit", "data": {"observations": "x" * 4096}}]})
    assert response.status_code == 413
    too_many = {"records": [{"kind": "visit"}] * 201}
    assert _post(client, too_many).status_code == 413


def test_http_sync_answers_per_record(client: Client, personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    client.force_login(personas["labour_inspector"])
    response = _post(client, {"records": [visit_record(visit), {"kind": "visit", "id": "nope"}]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["status"] == "updated" and results[1]["status"] == "invalid"
