"""Input that used to crash a parser or an encoder (issue 20): deeply nested JSON and text that is not
Unicode (lone surrogates, invalid UTF-8). Both are refused with 400, in the API's one error shape,
before any parser or view runs; the refusal names the field where there is one."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ruta.core.inputs import MAX_JSON_DEPTH, json_too_deep

NOT_UNICODE = "invalid_character"


def _post_json(path: str, body: bytes | str, content_type: str = "application/json") -> Any:
    return APIClient().generic("POST", path, body, content_type=content_type)


def _error(response: Any) -> tuple[str, str]:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    [(field, items)] = errors.items()
    return field, items[0]["code"]


def _post_paths(client: Client) -> list[str]:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    return sorted(path for path, item in schema["paths"].items() if "post" in item and "{" not in path)


# --- nesting -------------------------------------------------------------------------------------


@pytest.mark.parametrize("opener", [b"[", b'{"a":', b'[{"a":'], ids=["lists", "objects", "mixed"])
def test_deeply_nested_json_is_refused_on_every_json_endpoint(client: Client, db: None, opener: bytes) -> None:
    paths = [*_post_paths(client), "/webhooks/rapidpro/sms-145/"]
    assert "/api/v1/alerts/" in paths and "/api/v1/alerts/track/" in paths
    body = opener * (200_000 // len(opener))  # 200 KB: under the size limit, far over the depth limit
    for path in paths:
        assert _error(_post_json(path, body)) == ("non_field_errors", "too_deep"), path


def test_nested_json_is_refused_whatever_type_it_is_declared_as(db: None) -> None:
    """The messaging webhook parses its body with ``json.loads`` whatever the declared type."""
    for content_type in ("text/plain", "application/octet-stream", ""):
        response = _post_json("/webhooks/rapidpro/sms-145/", b"  [" * 50_000, content_type=content_type)
        assert _error(response) == ("non_field_errors", "too_deep"), content_type


def test_no_debug_page_for_nested_json(db: None, settings: Any) -> None:
    settings.DEBUG = True
    response = _post_json("/api/v1/alerts/", b"[" * 100_000)
    assert response["Content-Type"] == "application/json"
    assert _error(response) == ("non_field_errors", "too_deep")


def test_the_depth_limit_counts_structure_not_text(db: None) -> None:
    def nested(depth: int) -> bytes:
        return b'{"code": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"

    # At the limit the guard lets the body through and the view answers in its own words.
    at_limit = _post_json("/api/v1/alerts/track/", nested(MAX_JSON_DEPTH))
    assert at_limit.status_code == 400 and "code" in at_limit.json()["errors"]
    assert _error(_post_json("/api/v1/alerts/track/", nested(MAX_JSON_DEPTH + 1))) == ("non_field_errors", "too_deep")
    # Brackets inside strings, escaped quotes included, are text.
    text = json.dumps({"code": "ABCD", "note": '["\\' + "[" * 500 + '"'})
    assert _post_json("/api/v1/alerts/track/", text).status_code == 404


WORST_CASES = {
    "openers": b"[" * 1_000_000,
    "empty lists": b"[" + b"[]," * 333_333 + b"[]]",
    "quotes": b'"' * 1_000_000,
    "escaped quotes, never closed": b'"' + b'\\"' * 500_000,
    "a lone backslash at the end": b'"' + b'\\"' * 500_000 + b"\\",
    "unclosed strings in lists": b'["' * 500_000,
}


@pytest.mark.parametrize("body", WORST_CASES.values(), ids=WORST_CASES.keys())
def test_measuring_the_depth_is_linear(body: bytes) -> None:
    """One megabyte of the shapes that make a naive scanner quadratic (each would take minutes)."""
    started = time.perf_counter()
    json_too_deep(body)
    assert time.perf_counter() - started < 1.0


def test_a_megabyte_of_brackets_is_refused_before_any_parser_sees_it(
    db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused by the linear depth scan alone: no JSON parser (recursive, slow on such input) runs."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

    def parsed(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a JSON parser ran on the nested body")

    monkeypatch.setattr(json, "loads", parsed)
    response = _post_json("/api/v1/alerts/", b"[" * 1024 * 1024)
    monkeypatch.undo()  # the answer itself is JSON
    assert _error(response) == ("non_field_errors", "too_deep")


# --- text that is not Unicode ------------------------------------------------------------------


SURROGATES = {
    "narrative": ({"narrative": "Vi a una niña \ud800 en un bar."}, "narrative"),
    "low surrogate": ({"narrative": "\udfff"}, "narrative"),
    "nested": ({"narrative": "ok", "persons": [{"age": 15, "sex": "\ud83d"}]}, "persons[0].sex"),
    "in a list": ({"narrative": "ok", "signals": ["S06", "S\udc00"]}, "signals[1]"),
    "in a name": ({"narrative": "ok", "\ud800": "x"}, "\\ud800"),
}


@pytest.mark.parametrize(("payload", "field"), SURROGATES.values(), ids=SURROGATES.keys())
def test_a_lone_surrogate_is_refused_naming_the_field(db: None, payload: dict[str, Any], field: str) -> None:
    from ruta.alerts.models import Alert

    response = _post_json("/api/v1/alerts/", json.dumps(payload))
    assert _error(response) == (field, NOT_UNICODE)
    assert "Unicode" in response.json()["errors"][field][0]["message"]
    assert not Alert.objects.exists()


def test_invalid_utf8_in_json_is_refused_naming_the_field(db: None) -> None:
    body = b'{"narrative": "\xed\xa0\x80 encoded as UTF-8", "municipality": "0801"}'
    assert _error(_post_json("/api/v1/alerts/", body)) == ("narrative", NOT_UNICODE)
    assert _error(_post_json("/api/v1/alerts/track/", b'{"code": "\xff"}')) == ("code", NOT_UNICODE)


def test_valid_text_passes_the_guard(db: None) -> None:
    """A surrogate pair is one character; an escaped backslash followed by ``ud800`` is six."""
    for code in ("\U0001f600", "\\ud800", "Ñandú", "日本語"):
        response = _post_json("/api/v1/alerts/track/", json.dumps({"code": code}))
        assert response.status_code == 404, (code, response.content)


def test_invalid_utf8_in_a_form_is_refused_naming_the_field(db: None) -> None:
    form = "application/x-www-form-urlencoded"
    response = Client().post("/track/", "code=%ED%A0%80", content_type=form)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("code: ")
    assert Client().post("/track/", b"code=\xff\xfe", content_type=form).status_code == 400
    # The field name is the client's: never served as markup.
    marked = Client().post("/track/", "%3Cb%3Ex%3C%2Fb%3E=%ff", content_type=form)
    assert marked.status_code == 400 and marked["Content-Type"].startswith("text/plain")


def test_invalid_utf8_in_a_query_string_is_refused(client: Client, personas: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(personas["analyst"])
    assert _error(api.get("/api/v1/departments/?q=%ED%A0%80")) == ("q", NOT_UNICODE)
    assert api.get("/api/v1/departments/?q=%C3%B1").status_code == 200
    client.force_login(personas["analyst"])
    assert client.get("/?next=%ED%A0%80").status_code == 400
