"""Property-based API testing with schemathesis against the live OpenAPI schema (/api/schema/).

Every operation in the schema is exercised (new endpoints join automatically), anonymously and as an
authenticated persona, with a bounded number of generated examples: no answer may be a server error
and every documented response must match its schema."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

MAX_EXAMPLES = 25
TIME_BUDGET_SECONDS = 240
# Schema gaps found by this test and reported to the owning team: only the 5xx check runs for them
# until the schema or the view is fixed. Keep this list short and dated; never add a 5xx here.
# Operations whose responses are known not to match the schema yet (only "no server error" is checked).
KNOWN_SCHEMA_GAPS: set[str] = set()


def _schema(client: Any) -> Any:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json", format="json")
    assert response.status_code == 200
    raw = response.json() if response["Content-Type"].startswith("application/json") else None
    if raw is None:
        import yaml

        raw = yaml.safe_load(response.content)
    return schemathesis.openapi.from_dict(raw)


def _runner(operation: Any, checks: list[Any], app: Any, headers: dict[str, str]) -> Any:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=checks)

    return run


@contextmanager
def _connections_kept_open() -> Iterator[None]:
    """Schemathesis calls the WSGI application directly, so Django's request hooks would close the
    database connection inside the test's transaction (PostgreSQL). The test client avoids that the
    same way, and reconnects the hooks after each of its own requests, so wrap only the WSGI calls."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", [None, "eri_responder"], ids=["anonymous", "eri_responder"])
def test_every_api_operation_survives_generated_input(
    client: Any, personas: dict[str, Any], persona: str | None
) -> None:
    headers = {}
    if persona:
        token, _ = Token.objects.get_or_create(user=personas[persona])
        headers = {"Authorization": f"Token {token.key}"}
    schema = _schema(client)
    app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5, "the schema lists the API's operations"
    started = time.monotonic()
    exercised = []

    labels = {f"{operation.method.upper()} {operation.path}" for operation in operations}
    assert labels >= KNOWN_SCHEMA_GAPS, f"stale entries: {KNOWN_SCHEMA_GAPS - labels}"
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        checks = (
            [not_a_server_error] if label in KNOWN_SCHEMA_GAPS else [not_a_server_error, response_schema_conformance]
        )

        with _connections_kept_open():
            _runner(operation, checks, app, headers)()
        exercised.append(label)
        assert time.monotonic() - started < TIME_BUDGET_SECONDS, f"over the time budget after {exercised}"
    assert len(exercised) == len(operations)
