"""POST /api/v1/screening/ (same input and output as the command) and GET /api/v1/screening/catalogue/."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from django.urls import reverse

from ruta.screening.models import ScreeningRecord
from tests.screening.test_command import EXAMPLES

pytestmark = pytest.mark.django_db
URL = "/api/v1/screening/"


def test_urls() -> None:
    assert reverse("api:screening-run") == URL
    assert reverse("api:screening-catalogue") == URL + "catalogue/"


@pytest.mark.parametrize("example", EXAMPLES["examples"], ids=[e["why"][:40] for e in EXAMPLES["examples"]])
def test_every_worked_example(api_as: Any, example: dict[str, Any]) -> None:
    response = api_as("eri_responder").post(URL, example["input"], format="json")
    assert response.status_code == 200
    for key, value in example["expected"].items():
        assert response.json()[key] == value
    assert response.json()["rationale"]
    assert ScreeningRecord.objects.count() == 0


@pytest.mark.parametrize("example", EXAMPLES["bad_input"], ids=[e["why"][:40] for e in EXAMPLES["bad_input"]])
def test_every_bad_input(api_as: Any, example: dict[str, Any]) -> None:
    response = api_as("caseworker").post(URL, example["input"], format="json")
    assert response.status_code == 400
    (error,) = response.json()["errors"]["indicators"]
    assert error["code"] in ("unknown_indicator", "wrong_list")
    assert example["input"]["indicators"][0] in error["message"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"age": "16", "exploitation": "labour", "indicators": []}, "age", "invalid"),
        ({"age": 16, "indicators": []}, "exploitation", "required"),
        ({"age": 16, "exploitation": "labour", "indicators": [3]}, "indicators", "invalid"),
        ({"age": 30, "exploitation": "labour", "indicators": ["THB-CL-DR-01"]}, "indicators", "wrong_list"),
        ({"age": 30, "exploitation": "labour", "indicators": ["NOPE"]}, "indicators", "unknown_indicator"),
    ],
)
def test_bad_input_uses_the_standard_error_shape(api_as: Any, body: dict[str, Any], field: str, code: str) -> None:
    response = api_as("supervisor").post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][field][0]["code"] == code
    assert response.json()["errors"][field][0]["message"]


def test_malformed_json(api_as: Any) -> None:
    response = api_as("supervisor").post(URL, "{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"][0]["code"] == "parse_error"


def test_catalogue_lists_sources_and_status(api_as: Any, django_assert_num_queries: Any) -> None:
    client = api_as("labour_inspector")
    # user's memberships; lists, rows, dimensions, rule table
    with django_assert_num_queries(5):
        response = client.get(URL + "catalogue/")
    assert response.status_code == 200
    data = response.json()
    lists = {item["code"]: item for item in data["lists"]}
    assert set(lists) == {"adult_labour", "child_labour", "adult_sexual", "child_sexual", "forced_labour"}
    assert lists["adult_sexual"]["loaded"] is False and lists["adult_sexual"]["verification"] == "not_transcribed"
    assert len(lists["adult_labour"]["indicators"]) == 67
    row = lists["adult_labour"]["indicators"][0]
    assert row["code"] == "THB-AL-DR-01" and row["dimension"] == "DR" and row["strength"] == "strong"
    assert row["verified"] is False and row["source"] and row["label_status"]["es"] == "working"
    fl = lists["forced_labour"]["indicators"][0]
    assert fl["dimension"] is None and fl["mapped_dimensions"]
    assert [d["code"] for d in data["dimensions"]] == ["DR", "CR", "RV", "EX", "CD", "VD"]
    assert data["rules"]["rules"]["victim_child"]


def test_openapi_schema_documents_both_endpoints(client: Any) -> None:
    schema = yaml.safe_load(client.get(reverse("api:schema")).content)
    run = schema["paths"]["/api/v1/screening/"]["post"]
    assert "400" in run["responses"] and "200" in run["responses"]
    body = json.dumps(schema["components"]["schemas"])
    assert "presumed_child" in body and "rationale" in body and "verification" in body
    assert "/api/v1/screening/catalogue/" in schema["paths"]
