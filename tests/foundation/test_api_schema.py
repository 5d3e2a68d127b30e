"""The OpenAPI schema describes every endpoint without guessing (schemathesis tests what it lists)."""

from __future__ import annotations

from pathlib import Path

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
