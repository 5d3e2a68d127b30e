"""Property-based API testing with schemathesis against the live OpenAPI schema (/api/schema/).

Every operation in the schema is exercised (new endpoints join automatically), anonymously and as an
authenticated persona, with a bounded number of generated examples: no answer may be a server error
and every documented response must match its schema. Every operation that takes a body also gets two
kinds of hostile body schemathesis does not generate on its own (issue 20): JSON nested far past
``MAX_JSON_DEPTH`` and its own generated body with a lone surrogate put into one string; both must be
refused with 400 and a stable code. CI runs this module on SQLite and on PostgreSQL (``make test``,
``make test-postgres``)."""

from __future__ import annotations

import json
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
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ruta.core.inputs import MAX_JSON_DEPTH

MAX_EXAMPLES = 25
HOSTILE_EXAMPLES = 10
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


# Far past the limit, under the request size limit: the decoder would recurse until RecursionError.
NESTED_JSON = st.builds(
    lambda brackets, depth, closed: brackets[0] * depth + (brackets[1] * depth if closed else b""),
    st.sampled_from([(b"[", b"]"), (b'{"a":', b"}"), (b'[{"a":', b"}]"), (b" [ ", b" ] ")]),
    st.integers(min_value=MAX_JSON_DEPTH + 1, max_value=20_000),
    st.booleans(),
)
LONE_SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


@st.composite
def with_lone_surrogate(draw: Any, body: Any) -> Any:
    """The generated body with a lone surrogate put into one of its strings (or into a new field)."""
    surrogate = draw(LONE_SURROGATE)
    paths = list(_strings(body))
    if not paths:
        return {**body, "note": surrogate} if isinstance(body, dict) else {"note": surrogate}
    path = draw(st.sampled_from(paths))
    if not path:
        return body + surrogate
    target = body
    for step in path[:-1]:
        target = target[step]
    at = draw(st.integers(min_value=0, max_value=len(target[path[-1]])))
    target[path[-1]] = target[path[-1]][:at] + surrogate + target[path[-1]][at:]
    return body


def _hostile_runner(operation: Any, app: Any, headers: dict[str, str]) -> Any:
    @given(case=operation.as_strategy(), data=st.data())
    @settings(
        max_examples=HOSTILE_EXAMPLES,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any, data: Any) -> None:
        if data.draw(st.booleans(), label="nested"):
            raw, expected = data.draw(NESTED_JSON, label="body"), "too_deep"
        else:
            body = case.body if isinstance(case.body, (dict, list, str)) else {}
            hostile = data.draw(with_lone_surrogate(body), label="body")
            raw, expected = json.dumps(hostile).encode(), "invalid_character"
        response = case.call(app=app, headers={**headers, "Content-Type": "application/json"}, data=raw)
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code == 400, (response.status_code, response.text[:300])
        codes = [item["code"] for items in response.json()["errors"].values() for item in items]
        assert codes == [expected], codes

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
            if operation.method.upper() in ("POST", "PUT", "PATCH"):
                _hostile_runner(operation, app, headers)()
        exercised.append(label)
        assert time.monotonic() - started < TIME_BUDGET_SECONDS, f"over the time budget after {exercised}"
    assert len(exercised) == len(operations)
