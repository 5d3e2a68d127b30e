"""A tracking code is a secret: it travels in a POST body (not in URLs that access logs, proxies and
browser history keep), and no answer about it is cached (issue 20)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.alerts.conftest import reference_data, valid_payload

__all__ = ["reference_data"]  # the alerts' fixture: reference data and the alert catalogue

TRACK = "/api/v1/alerts/track/"


@pytest.fixture
def code(reference_data: Any) -> str:
    response = APIClient().post("/api/v1/alerts/", valid_payload(), format="json")
    assert response.status_code == 201
    return str(response.json()["tracking_code"])


def _not_cached(response: Any) -> None:
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")


def test_the_code_can_travel_in_the_body(code: str) -> None:
    api = APIClient()
    found = api.post(TRACK, {"code": code}, format="json")
    assert found.status_code == 200
    assert set(found.json()) == {"status", "updated_at"} and found.json()["status"] == "received"
    assert api.post(TRACK, {"code": code.lower().replace("-", "")}, format="json").status_code == 200
    missing = api.post(TRACK, {"code": "AAAA-BBBB-CCCC"}, format="json")
    assert missing.status_code == 404
    assert missing.json()["errors"]["non_field_errors"][0]["code"] == "not_found"
    empty = api.post(TRACK, {}, format="json")
    assert empty.status_code == 400 and empty.json()["errors"]["code"][0]["code"] == "required"
    # The same answer as the GET kept for existing clients.
    assert api.get(f"{TRACK}{code}/").json() == found.json()


def test_no_tracking_answer_is_cached(code: str) -> None:
    api = APIClient()
    for response in (
        api.post(TRACK, {"code": code}, format="json"),
        api.post(TRACK, {"code": "AAAA-BBBB-CCCC"}, format="json"),
        api.post(TRACK, {}, format="json"),
        api.get(f"{TRACK}{code}/"),
        api.get(f"{TRACK}AAAA-BBBB-CCCC/"),
    ):
        _not_cached(response)


def test_the_public_tracking_page_is_not_cached(code: str) -> None:
    for response in (Client().get("/track/"), Client().post("/track/", {"code": code})):
        assert response.status_code == 200
        _not_cached(response)


def test_looking_up_by_body_is_throttled_like_by_path(code: str, settings: Any) -> None:
    """Otherwise the POST would be an unthrottled way to guess codes."""
    config = dict(settings.REST_FRAMEWORK)
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], "public_tracking": "2/hour"}
    settings.REST_FRAMEWORK = config
    api = APIClient(REMOTE_ADDR="10.9.8.7")
    statuses = [api.post(TRACK, {"code": code}, format="json").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    throttled = api.post(TRACK, {"code": code}, format="json")
    assert throttled.status_code == 429
    _not_cached(throttled)


def test_the_schema_documents_both_and_marks_the_get_deprecated(client: Client) -> None:
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    lookup = paths["/api/v1/alerts/track/"]["post"]
    assert "code" in str(lookup["requestBody"]) and "access logs" in lookup["description"]
    legacy = paths["/api/v1/alerts/track/{code}/"]["get"]
    assert legacy["deprecated"] is True and "POST /api/v1/alerts/track/" in legacy["description"]
