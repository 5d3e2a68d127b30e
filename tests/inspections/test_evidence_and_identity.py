"""Evidence files (encrypted, type and size limits) and worker identities on a need-to-know basis,
every identified read audited."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings

from ruta.audit.models import AuditEvent
from ruta.inspections.models import Evidence, WorkerInterview
from tests.inspections.factories import interview_record, planned_visit, sync

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client: Client, visit: Any, content: bytes, name: str = "foto.png", key: str = "ev-1") -> Any:
    return client.post(
        f"/api/v1/inspections/visits/{visit.uuid}/evidence/",
        {"file": SimpleUploadedFile(name, content, content_type="image/png"), "idempotency_key": key},
    )


def test_evidence_is_encrypted_and_stored_once(client: Client, personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    client.force_login(personas["labour_inspector"])
    first = _upload(client, visit, PNG)
    again = _upload(client, visit, PNG)
    assert first.status_code == 201 and again.json() == first.json()
    assert Evidence.objects.filter(visit=visit).count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM inspections_evidence")
        stored = cursor.fetchone()[0]
    assert "iVBOR" not in stored  # not the base64 of the PNG in clear


def test_evidence_limits(client: Client, personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    client.force_login(personas["labour_inspector"])
    assert _upload(client, visit, b"MZ\x90\x00", name="virus.exe", key="ev-2").status_code == 400
    with override_settings(RUTA_UPLOAD_MAX_BYTES=32):
        response = _upload(client, visit, PNG, key="ev-3")
    assert response.status_code == 413 and response.json()["errors"]["file"][0]["code"] == "file_too_large"
    assert not Evidence.objects.exists()
    client.force_login(personas["inspection_supervisor"])
    assert _upload(client, visit, PNG, key="ev-4").status_code == 404


def test_identities_need_to_know(client: Client, personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    sync(personas, interview_record(visit, consent_to_identify=True, given_names="Yolany", family_names="Mejía"))
    interview = WorkerInterview.objects.get(visit=visit)
    url = f"/api/v1/inspections/visits/{visit.uuid}/"

    def names(who: str) -> str:
        client.force_login(personas[who])
        return json.loads(client.get(url).content)["interviews"][0]["data"]["given_names"]

    reads = AuditEvent.objects.filter(
        action="read", object_id=str(interview.pk), object_type="inspections.workerinterview"
    )
    assert names("labour_inspector") == "Yolany"
    assert names("inspection_supervisor") == "Yolany"
    assert reads.count() == 2
    assert names("inspection_director") == ""  # national oversight, no identity permission
    assert reads.count() == 2
