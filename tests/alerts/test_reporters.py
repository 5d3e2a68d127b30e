"""Issue 20, reporters: a department without a municipality is kept and routes the alert; the
municipality list filters offline (its data comes with the page); the tracking code reaches the
tracking page without entering a URL; the staff's demo notice stays off the public pages."""

from __future__ import annotations

import json
import re
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from ruta.alerts.models import Alert
from tests.alerts.conftest import make_alert, valid_payload
from tests.alerts.test_intake import RAPIDPRO, form_data, post, webhook


def _place(**lookup: Any) -> tuple[str | None, str | None]:
    """(municipality code, department code) of the one alert matching ``lookup``."""
    return Alert.objects.values_list("municipality__code", "department__code").get(**lookup)


def test_a_department_without_municipality_is_kept(api_client: APIClient, reference_data: Any) -> None:
    response = post(api_client, valid_payload(municipality=None, department="05"))
    assert response.status_code == 201
    assert _place(reference=response.json()["reference"]) == (None, "05")
    # With a municipality, the department is the municipality's (stated or not).
    response = post(api_client, valid_payload(municipality="0801", idempotency_key="with-municipality"))
    assert _place(reference=response.json()["reference"]) == ("0801", "08")


def test_the_no_javascript_form_keeps_the_department(client: Client, reference_data: Any) -> None:
    response = client.post("/report/", form_data(municipality="", department="05"))
    assert response.status_code == 200
    assert _place() == (None, "05")


def test_a_rapidpro_flow_may_give_only_the_department(client: Client, sms_channel: Any) -> None:
    results = {**cast(dict[str, Any], RAPIDPRO["results"]), "department": {"value": "05"}}
    del results["municipality"]
    response = webhook(client, {**RAPIDPRO, "results": results})
    assert response.status_code == 201, response.content
    assert _place(reference=response.json()["reference"]) == (None, "05")


@pytest.mark.parametrize(
    ("place", "field", "code"),
    [
        ({"municipality": "0501", "department": "08"}, "municipality", "inconsistent"),
        ({"municipality": None, "department": "99"}, "department", "unknown_department"),
        ({"municipality": None, "department": 5}, "department", "invalid"),
    ],
)
def test_a_wrong_department_is_refused_and_saves_nothing(
    api_client: APIClient, reference_data: Any, place: dict[str, Any], field: str, code: str
) -> None:
    response = post(api_client, valid_payload(**place))
    assert response.status_code == 400
    assert [error["code"] for error in response.json()["errors"][field]] == [code]
    assert Alert.objects.count() == 0


def test_departments_are_read_from_memory(api_client: APIClient, reference_data: Any) -> None:
    assert post(api_client, valid_payload(municipality=None, department="05")).status_code == 201
    with CaptureQueriesContext(connection) as captured:
        payload = valid_payload(municipality=None, department="08", idempotency_key="second")
        assert post(api_client, payload).status_code == 201
    assert "geo_department" not in " ".join(query["sql"] for query in captured.captured_queries)


def test_the_department_routes_the_alert_and_shows_in_the_queue(client: Client, login: Any) -> None:
    north = make_alert(municipality=None, department="05")
    capital = make_alert(municipality=None, department="08")
    login("eri_responder_north")  # the ERI in Cortés (05)
    page = client.get("/alerts/").content.decode()
    row = re.search(rf'<tr data-alert="{north.reference}".*?</tr>', page, re.S)
    assert row and re.search(r"<small class=\"one-line\" data-summary>Cortés ·", row.group(0))
    assert capital.reference not in page
    assert client.get(f"/alerts/{north.reference}/").status_code == 200
    assert client.get(f"/alerts/{capital.reference}/").status_code == 404
    login("eri_responder")  # national
    assert capital.reference in client.get("/alerts/").content.decode()
    detail = client.get(f"/alerts/{capital.reference}/").content.decode()
    assert "Francisco Morazán (municipality not given)" in detail


def _municipality_data(page: str) -> list[dict[str, str]]:
    match = re.search(r'<script id="municipality-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "the municipalities must come with the page"
    return json.loads(match.group(1))


def test_the_report_page_brings_every_municipality_with_its_department(client: Client, reference_data: Any) -> None:
    page = client.get("/report/").content.decode()
    rows = _municipality_data(page)
    from ruta.geo.models import Municipality

    assert len(rows) == Municipality.objects.count()
    assert {"code": "0501", "name": "San Pedro Sula", "department": "05"} in rows
    # No network look-up left: it is what failed offline.
    assert "municipalities.json" not in page and "data-municipalities-url" not in page


def test_the_tracking_code_reaches_the_tracking_page_in_a_post_body(client: Client, reference_data: Any) -> None:
    sent = client.post("/report/", form_data())
    code = sent.context["answer"]["tracking_code"]
    page = sent.content.decode()
    form = re.search(r'<form method="post" action="/track/"[^>]*data-track-form>(.*?)</form>', page, re.S)
    assert form and f'name="code" value="{code}"' in form.group(1)
    assert not re.search(rf'href="[^"]*{code}', page)  # never in a URL (logs, history)
    status = client.post("/track/", {"code": code})
    assert status.status_code == 200 and status.context["status"] == "received"


@override_settings(MFA_ENFORCED=False)
def test_the_demo_notice_is_for_staff_not_for_reporters(client: Client, reference_data: Any) -> None:
    assert "data-demo-notice" in client.get("/accounts/login/").content.decode()
    for response in (client.get("/report/"), client.post("/report/", form_data()), client.get("/track/")):
        assert response.status_code == 200
        assert "data-demo-notice" not in response.content.decode()
