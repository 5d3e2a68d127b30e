"""Hostile text (very long, control characters, HTML/JS, SQL fragments, mixed scripts) fed to every
form-like page and API operation that exists: no server error, no reflected markup, one error shape.

Pages and operations are enumerated (URL patterns without arguments; the OpenAPI schema), so new
ones are covered without editing this file."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

FRAGMENTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "'; DROP TABLE accounts_user; --",
    "\x00\x01\x02\x1b[31m\u202e\ufeff",
    "ﷺ𝕳𝖔𝖓𝖉𝖚𝖗𝖆𝖘 日本語 العربية Ñandú",
    "../../../../etc/passwd",
    "{{ settings.SECRET_KEY }}",
    "%s%n%x",
    "A" * 10_000,
]
hostile = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(min_size=0, max_size=300),
    st.builds(lambda a, b: a + b, st.sampled_from(FRAGMENTS), st.text(max_size=50)),
)
PARAMS = [
    "q",
    "search",
    "username",
    "action",
    "object_type",
    "object_reference",
    "page",
    "since",
    "until",
    "status",
    "priority",
    "municipality",
    "department",
    "code",
    "next",
    "kind",
]
HYPOTHESIS = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _argumentless_pages() -> list[str]:
    names: list[str] = []

    def walk(resolver: URLResolver, namespace: str = "") -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groupindex:
                name = f"{namespace}{pattern.name}"
                if not name.startswith(("admin:", "api:")) and name not in {"set_language", "javascript-catalog"}:
                    names.append(name)

    walk(get_resolver())
    return sorted(set(names))


def _no_reflection(body: str, text: str) -> None:
    for dangerous in ("<script>alert(1)</script>", "<img src=x onerror"):
        if dangerous in text:
            assert dangerous not in body, "markup reflected unescaped"


def test_pages_survive_hostile_query_strings(client: Client, personas: dict[str, Any]) -> None:
    pages = _argumentless_pages()
    assert "accounts:login" in pages and "audit:list" in pages
    client.force_login(personas["supervisor"])

    @given(text=hostile)
    @HYPOTHESIS
    def run(text: str) -> None:
        for name in pages:
            response = client.get(reverse(name), dict.fromkeys(PARAMS, text))
            assert response.status_code < 500, (name, response.status_code)
            if response.get("Content-Type", "").startswith("text/html"):
                _no_reflection(response.content.decode(), text)

    run()


def test_login_form_survives_hostile_credentials(personas: dict[str, Any]) -> None:
    @given(username=hostile, password=hostile)
    @HYPOTHESIS
    def run(username: str, password: str) -> None:
        response = Client(REMOTE_ADDR="10.20.30.40").post(
            "/accounts/login/", {"username": username, "password": password}
        )
        assert response.status_code in (200, 400), response.status_code
        _no_reflection(response.content.decode(), username)

    run()


def _operations(client: Client) -> list[tuple[str, str, dict[str, Any]]]:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    found = []
    for path, item in schema["paths"].items():
        if "{" in path:
            continue
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch"):
                continue
            properties: dict[str, Any] = {}
            content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = content.get("schema", {}).get("$ref", "")
            if ref:
                component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                properties = component.get("properties", {})
            found.append((method.upper(), path, properties))
    return found


def test_api_operations_survive_hostile_json(client: Client, personas: dict[str, Any]) -> None:
    operations = _operations(client)
    assert any(method == "POST" for method, _, _ in operations)
    api = APIClient()
    api.force_authenticate(personas["eri_responder"])

    @given(text=hostile)
    @HYPOTHESIS
    def run(text: str) -> None:
        for method, path, properties in operations:
            if method == "GET":
                response = api.get(path, dict.fromkeys(PARAMS, text))
            else:
                body = dict.fromkeys(properties, text) or {"value": text}
                response = api.generic(method, path, json.dumps(body), content_type="application/json")
            assert response.status_code < 500, (method, path, response.status_code)
            if 400 <= response.status_code < 500 and response.get("Content-Type", "").startswith("application/json"):
                assert "errors" in response.json(), (method, path, response.content[:200])

    run()


def test_a_nul_in_a_multipart_text_field_is_refused_before_any_query(personas: dict[str, Any]) -> None:
    """DRF parses multipart bodies too: a NUL in a text field must be refused like one in JSON
    (PostgreSQL cannot store it, and a query with it fails with a 500)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = APIClient()
    api.force_authenticate(personas["eri_responder"])
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/api/v1/alerts/", {"narrative": "a\x00b", "municipality": "0801"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"][0]["code"] == "invalid_character"
    assert len(queries) == 0
    clean = api.post(
        "/api/v1/alerts/", {"narrative": "Una adolescente en un bar.", "municipality": "0801"}, format="multipart"
    )
    assert clean.status_code != 400 or "invalid_character" not in clean.content.decode()
