"""The OpenAPI schema describes every endpoint without guessing (schemathesis tests what it lists)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command


def test_schema_generates_without_warnings_and_lists_every_api_route(tmp_path: Path) -> None:
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text(encoding="utf-8"))["paths"]
    for expected in ("/api/v1/persons/{reference}/", "/api/v1/persons/{reference}/duplicates/", "/api/v1/alerts/"):
        assert expected in paths
    operation_ids = [operation["operationId"] for item in paths.values() for operation in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


@pytest.mark.django_db
def test_page_size_and_offset_have_a_ceiling(personas: dict[str, Any]) -> None:
    """A huge limit or offset (schemathesis sent 201956702002240258048) answers a page, never a 500."""
    from rest_framework.test import APIClient

    from ruta.api.pagination import MAX_LIMIT

    client = APIClient()
    client.force_authenticate(personas["eri_responder"])
    response = client.get("/api/v1/institutions/", {"limit": 201956702002240258048, "offset": -37})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= MAX_LIMIT
    response = client.get("/api/v1/institutions/", {"limit": 5, "offset": 10**30})
    assert response.status_code == 200 and response.json()["results"] == []
