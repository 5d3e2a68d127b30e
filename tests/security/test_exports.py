"""Exports: permission, purpose, re-authentication, audit, small-cell suppression, CSV safety."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ruta.accounts.sessions import REAUTH_AT
from ruta.audit.models import AuditAction, AuditEvent
from ruta.audit.services import audit_record
from ruta.security.exports import export_run, exports_for, safe_cell, suppress


def _rows(content: bytes | str) -> list[list[str]]:
    text = content.decode() if isinstance(content, bytes) else content
    return list(csv.reader(io.StringIO(text)))


def test_exports_offered_follow_the_role(personas: dict[str, Any]) -> None:
    assert {kind.code for kind in exports_for(personas["analyst"])} == {"alerts_by_priority", "cases_by_stage"}
    assert {kind.code for kind in exports_for(personas["supervisor"])} == {"audit_log"}
    assert {kind.code for kind in exports_for(personas["administrator"])} == {"audit_log"}
    assert exports_for(personas["caseworker"]) == []


def test_audit_log_export_is_scoped_audited_and_needs_a_purpose(client: Client, personas: dict[str, Any]) -> None:
    supervisor = personas["supervisor"]
    audit_record(actor=personas["eri_responder"], action=AuditAction.READ, object_type="cases.case", object_id="1")
    audit_record(actor=personas["caseworker"], action=AuditAction.READ, object_type="cases.case", object_id="2")
    client.force_login(supervisor)
    refused = client.post(reverse("security:exports"), {"kind": "audit_log", "purpose": ""})
    assert refused.status_code == 200 and not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    response = client.post(reverse("security:exports"), {"kind": "audit_log", "purpose": "Quarterly oversight review"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _rows(response.content)
    actors = {row[1] for row in rows[1:]}
    assert "eri" in actors and "salud" not in actors  # the ERI supervisor sees the ERI institution only
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor == supervisor and export.reason == "Quarterly oversight review"


def test_analyst_cannot_export_the_audit_log(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["analyst"])
    response = client.post(reverse("security:exports"), {"kind": "audit_log", "purpose": "Curious about who reads"})
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
    with pytest.raises(PermissionError):
        export_run(actor=personas["analyst"], code="audit_log", purpose="x")


def test_export_needs_recent_authentication(client: Client, personas: dict[str, Any], settings: Any) -> None:
    client.force_login(personas["analyst"])
    session = client.session
    session[REAUTH_AT] = int(time.time()) - settings.RUTA_REAUTH_SECONDS - 1
    session.save()
    response = client.post(reverse("security:exports"), {"kind": "alerts_by_priority", "purpose": "Annual report"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauth"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_aggregated_alert_export_suppresses_small_cells(client: Client, personas: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    for index in range(12):
        api.post("/api/v1/alerts/", {"narrative": f"caso {index}", "municipality": "0801"}, format="json")
    for index in range(3):
        api.post("/api/v1/alerts/", {"narrative": f"otro {index}", "municipality": "0501"}, format="json")
    client.force_login(personas["analyst"])
    response = client.post(reverse("security:exports"), {"kind": "alerts_by_priority", "purpose": "Annual report"})
    rows = _rows(response.content)
    assert rows[0] == ["month", "department", "priority", "count"]
    by_department = {(row[1], row[2]): row[3] for row in rows[1:]}
    assert by_department[("08", "P4")] == "12"
    assert by_department[("05", "P4")] == "<11"
    assert all(not value.isdigit() or int(value) >= 11 for value in by_department.values())


def test_small_cell_threshold_and_formula_neutralising() -> None:
    assert suppress(10) == "<11" and suppress(11) == 11
    assert safe_cell('=HYPERLINK("http://x")').startswith("'=")
    assert safe_cell("+504 9999") == "'+504 9999" and safe_cell("plain") == "plain"
