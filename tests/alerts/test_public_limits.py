"""Public limits (issue 20): many phones behind one carrier address all get through, one phone that
floods is stopped, and an address flooding from ever-new devices meets a ceiling."""

from __future__ import annotations

from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from ruta.alerts.models import Alert
from ruta.alerts.public_intake import DEVICE_COOKIE
from ruta.core.models import ThrottleCounter
from tests.alerts.conftest import valid_payload
from tests.alerts.test_intake import API, _rates, form_data

CARRIER = "10.20.30.40"


def _phone(address: str = CARRIER) -> APIClient:
    """A phone that opened the report page (which gives it its device id) and posts as its queue does."""
    phone = APIClient(REMOTE_ADDR=address)
    assert phone.get("/report/").status_code == 200
    assert DEVICE_COOKIE in phone.cookies
    return phone


def _send(phone: APIClient, times: int = 1) -> list[int]:
    return [phone.post(API, valid_payload(), format="json").status_code for _ in range(times)]


def test_fifty_phones_behind_one_address_all_get_through_and_one_flooding_phone_is_stopped(
    reference_data: Any, settings: Any
) -> None:
    _rates(settings, public_alerts="3/hour", public_alerts_address="120/hour")
    phones = [_phone() for _ in range(50)]
    # Twice each: 100 reports from one address, far above the per-device limit, all accepted.
    assert [status for phone in phones for status in _send(phone, 2)] == [201] * 100
    # One phone keeps going: its fourth report is refused, the others are untouched.
    assert _send(phones[0], 2) == [201, 429]
    assert _send(phones[1]) == [201]
    assert Alert.objects.count() == 102


def test_an_address_flooding_from_new_devices_meets_the_ceiling(reference_data: Any, settings: Any) -> None:
    _rates(settings, public_alerts="3/hour", public_alerts_address="10/hour")
    statuses = [_send(_phone())[0] for _ in range(12)]
    assert statuses == [201] * 10 + [429] * 2
    # The ceiling is the address's own: a phone elsewhere is not affected.
    assert _send(_phone("10.99.0.1")) == [201]
    assert Alert.objects.count() == 11


def test_a_client_without_a_device_id_is_one_device_per_address(reference_data: Any, settings: Any) -> None:
    _rates(settings, public_alerts="2/hour", public_alerts_address="600/hour")
    script = APIClient(REMOTE_ADDR=CARRIER)
    assert _send(script, 3) == [201, 201, 429]
    # An invented device id is no device id: only the server's signed one counts.
    script.cookies[DEVICE_COOKIE] = "invented"
    assert _send(script) == [429]
    # A phone at the same address that opened the page is its own device.
    assert _send(_phone()) == [201]


def test_the_form_without_javascript_counts_per_device_too(client: Client, reference_data: Any, settings: Any) -> None:
    _rates(settings, public_alerts="1/hour", public_alerts_address="600/hour")
    neighbour = Client(REMOTE_ADDR="127.0.0.1")
    for phone in (client, neighbour):
        phone.get("/report/")
    assert client.post("/report/", form_data()).status_code == 200
    assert client.post("/report/", form_data(idempotency_key="k2")).status_code == 429
    assert neighbour.post("/report/", form_data(idempotency_key="k3")).status_code == 200
    assert Alert.objects.count() == 2


def test_the_device_id_is_random_signed_and_out_of_reach_of_scripts(client: Client, reference_data: Any) -> None:
    first = client.get("/report/").cookies[DEVICE_COOKIE]
    assert first["httponly"] and first["samesite"] == "Lax" and first["max-age"]
    assert client.get("/report/").cookies.get(DEVICE_COOKIE) is None  # kept, not renewed on every visit
    other = Client().get("/report/").cookies[DEVICE_COOKIE]
    assert first.value != other.value
    client.post("/report/", form_data())
    # What is counted is a keyed hash: neither the device id nor the address is stored.
    stored = " ".join(ThrottleCounter.objects.values_list("key", flat=True))
    assert first.value.split(":")[0] not in stored and "127.0.0.1" not in stored


def test_settings_default_to_a_high_address_ceiling_and_a_per_device_limit(settings: Any) -> None:
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["public_alerts"] == "20/hour" and rates["public_alerts_address"] == "600/hour"
