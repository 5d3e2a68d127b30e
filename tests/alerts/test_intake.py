"""Every intake channel: API, public form (no JavaScript), staff form, hotline, RapidPro webhook."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from rest_framework.test import APIClient

from ruta.alerts.intake import TRACKING_ALPHABET, tracking_hash
from ruta.alerts.models import Alert, AlertPerson, HotlineCall
from ruta.core.models import IdempotencyRecord
from tests.alerts.conftest import valid_payload

API = "/api/v1/alerts/"


def post(client: APIClient, payload: Any) -> Any:
    return client.post(API, payload, format="json")


def test_api_creates_an_alert_with_the_contract_answer(api_client: APIClient, reference_data: Any) -> None:
    response = post(api_client, valid_payload())
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference", "tracking_code", "priority", "received_at"}
    assert body["priority"] == "P1"
    assert body["reference"].startswith("A-") and len(body["reference"]) == len("A-2026-000001")
    code = body["tracking_code"].replace("-", "")
    assert len(code) == 12 and set(code) <= set(TRACKING_ALPHABET)  # 12 × log2(31) ≈ 59 bits
    alert = Alert.objects.get(reference=body["reference"])
    assert alert.created_by is None and alert.channel == "api"
    assert alert.department.code == "08" and alert.municipality.code == "0801"
    assert alert.tracking_hash == tracking_hash(body["tracking_code"])
    assert list(alert.persons.values_list("age", "age_group", "sex")) == [(15, "child", "female")]
    # Narrative encrypted at rest.
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM alerts_alert WHERE id = %s", [alert.pk])
        stored = cursor.fetchone()[0]
    assert "adolescente" not in stored and stored.startswith("v1:")
    assert alert.narrative.startswith("Una adolescente")


def test_tracking_codes_are_distinct(api_client: APIClient, reference_data: Any) -> None:
    codes = {post(api_client, valid_payload()).json()["tracking_code"] for _ in range(5)}
    assert len(codes) == 5


def test_same_idempotency_key_gives_the_same_answer_and_one_alert(api_client: APIClient, reference_data: Any) -> None:
    first = post(api_client, valid_payload(idempotency_key="phone-123"))
    again = post(api_client, valid_payload(idempotency_key="phone-123", narrative="reworded"))
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Alert.objects.count() == 1


def test_concurrent_requests_with_one_key_create_one_alert(
    transactional_db: None, reference_data: Any, settings: Any
) -> None:
    # Every retry after SQLite's "table is locked" counts against the client's quota, as a real
    # retry would; this test is about idempotency, so the quota must not be what answers.
    _rates(settings, public_alerts="1000/hour")
    answers: list[Any] = []
    barrier = threading.Barrier(4)

    def submit() -> None:
        try:
            client = APIClient()
            barrier.wait()
            for _attempt in range(50):
                try:
                    answers.append(post(client, valid_payload(idempotency_key="race-1")))
                    return
                except OperationalError:  # SQLite's shared in-memory test database: the client retries
                    time.sleep(0.05)
        finally:
            connection.close()  # the thread's own; an open one keeps the test database from being dropped

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [201] * 4
    assert len({a.json()["reference"] for a in answers}) == 1
    assert Alert.objects.count() == 1
    assert IdempotencyRecord.objects.filter(key="race-1").count() == 1


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"municipality": "9999"}, "municipality", "unknown_municipality"),
        ({"signals": ["S06", "S42"]}, "signals", "unknown_signal"),
        ({"narrative": ""}, "narrative", "required"),
        ({"narrative": "x" * 5001}, "narrative", "max_length"),
        ({"happening_now": "maybe"}, "happening_now", "invalid"),
        ({"persons": [{"age": -1}]}, "persons[0].age", "invalid"),
        ({"persons": [{"age": 30, "age_group": "child"}]}, "persons[0].age_group", "inconsistent"),
        ({"persons": [{"sex": "x"}]}, "persons[0].sex", "invalid_choice"),
        ({"channel": "hotline"}, "channel", "channel_not_allowed"),
    ],
)
def test_invalid_input_is_a_400_naming_the_field_and_saves_nothing(
    api_client: APIClient, reference_data: Any, override: dict[str, Any], field: str, code: str
) -> None:
    response = post(api_client, valid_payload(idempotency_key="bad", **override))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert code in [e["code"] for e in errors[field]], errors
    assert all(e["message"] for e in errors[field])
    assert Alert.objects.count() == 0 and AlertPerson.objects.count() == 0
    assert not IdempotencyRecord.objects.filter(key="bad").exists()


def test_unknown_codes_are_named_in_the_message(api_client: APIClient, reference_data: Any) -> None:
    errors = post(api_client, valid_payload(municipality="0899", signals=["S77"])).json()["errors"]
    assert "0899" in errors["municipality"][0]["message"]
    assert "S77" in errors["signals"][0]["message"]


def test_oversized_body_is_413(api_client: APIClient, reference_data: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = api_client.post(API, json.dumps(valid_payload(narrative="x" * 4000)), content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"]["non_field_errors"][0]["code"] == "too_large"
    assert Alert.objects.count() == 0


def _rates(settings: Any, **rates: str) -> None:
    config = dict(settings.REST_FRAMEWORK)
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = config


def test_anonymous_submissions_are_throttled_per_client(
    api_client: APIClient, reference_data: Any, settings: Any
) -> None:
    _rates(settings, public_alerts="2/hour")
    assert [post(api_client, valid_payload()).status_code for _ in range(3)] == [201, 201, 429]
    other = APIClient(REMOTE_ADDR="10.9.9.9")
    assert post(other, valid_payload()).status_code == 201
    assert Alert.objects.count() == 3


def test_staff_with_alert_create_are_not_throttled(api_as: Any, settings: Any) -> None:
    _rates(settings, public_alerts="1/hour")
    client = api_as("hotline_operator")
    assert [post(client, valid_payload(channel="hotline")).status_code for _ in range(3)] == [201] * 3
    assert Alert.objects.filter(channel="hotline", created_by__username="operador145").count() == 3


def test_tracking_answers_only_status_and_time(api_client: APIClient, reference_data: Any) -> None:
    code = post(api_client, valid_payload()).json()["tracking_code"]
    response = api_client.get(f"{API}track/{code}/")
    assert response.status_code == 200
    assert set(response.json()) == {"status", "updated_at"}
    assert response.json()["status"] == "received"
    assert api_client.get(f"{API}track/{code.lower().replace('-', '')}/").status_code == 200
    assert api_client.get(f"{API}track/AAAA-BBBB-CCCC/").status_code == 404
    assert api_client.get(f"{API}track/short/").status_code == 404


# --- public form, without JavaScript ----------------------------------------------------------------


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "narrative": "Vi a una niña encerrada en una casa de la colonia.",
        "municipality": "0501",
        "signals": ["S06", "S12"],
        "happening_now": "yes",
        "reporter_contact": "9999-0000",
        "idempotency_key": "form-key-1",
        "person-TOTAL_FORMS": "2",
        "person-INITIAL_FORMS": "0",
        "person-0-age": "",
        "person-0-age_group": "child",
        "person-0-sex": "female",
        "person-1-age": "",
        "person-1-age_group": "unknown",
        "person-1-sex": "unknown",
        "website": "",
    }
    data.update(overrides)
    return data


def test_public_form_works_without_javascript(client: Client, reference_data: Any) -> None:
    page = client.get("/report/")
    assert page.status_code == 200
    key = page.context["form"].initial["idempotency_key"]
    assert len(key) >= 32
    assert b'name="idempotency_key"' in page.content and b'name="website"' in page.content
    response = client.post("/report/", form_data())
    assert response.status_code == 200
    code = response.context["answer"]["tracking_code"]
    assert code.encode() in response.content
    alert = Alert.objects.get()
    assert alert.channel == "public_web" and alert.priority == "P1" and alert.department.code == "05"
    assert alert.persons.count() == 1  # the empty second row is ignored
    assert alert.reporter_contact == "9999-0000"
    # A double submit (same hidden key) shows the same code and creates nothing.
    again = client.post("/report/", form_data())
    assert again.context["answer"]["tracking_code"] == code
    assert Alert.objects.count() == 1
    status = client.post("/track/", {"code": code})
    assert status.status_code == 200 and status.context["status"] == "received"
    assert client.post("/track/", {"code": "ZZZZ-ZZZZ-ZZZZ"}).status_code == 404


def test_public_form_errors_save_nothing(client: Client, reference_data: Any) -> None:
    response = client.post("/report/", form_data(narrative="", **{"person-0-age": "200"}))
    assert response.status_code == 400
    assert response.context["form"].errors["narrative"]
    assert Alert.objects.count() == 0


def test_honeypot_pretends_success_and_saves_nothing(client: Client, reference_data: Any) -> None:
    response = client.post("/report/", form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert response.context["answer"]["tracking_code"]
    assert Alert.objects.count() == 0
    api = APIClient().post(API, valid_payload(website="spam"), format="json")
    assert api.status_code == 400 and Alert.objects.count() == 0


def test_public_form_is_throttled(client: Client, reference_data: Any, settings: Any) -> None:
    _rates(settings, public_alerts="1/hour")
    assert client.post("/report/", form_data()).status_code == 200
    assert client.post("/report/", form_data(idempotency_key="k2")).status_code == 429
    assert Alert.objects.count() == 1


def test_service_worker_is_served_for_the_report_scope(client: Client, reference_data: Any) -> None:
    response = client.get("/report/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/report/"


# --- staff and hotline ---------------------------------------------------------------------------------


def test_staff_intake_records_creator_and_institution(client: Client, login: Any) -> None:
    login("labour_inspector")
    response = client.post("/alerts/new/", form_data(channel="inspection"))
    assert response.status_code == 302
    alert = Alert.objects.get()
    assert alert.channel == "inspection" and alert.created_by.username == "inspector"
    assert alert.reporting_institution.code == "stss"


def test_caseworker_without_alert_view_stays_on_the_form(client: Client, login: Any) -> None:
    login("caseworker")
    response = client.post("/alerts/new/", form_data(channel="staff"), follow=True)
    assert response.redirect_chain[-1][0] == "/alerts/new/"
    assert Alert.objects.get().created_by.username == "salud"


def _call(**overrides: Any) -> dict[str, Any]:
    data = form_data(
        call_started_at="2026-03-01T10:00",
        duration_minutes="7",
        caller_type="family",
        caller_phone="+504 9999-1234",
        is_alert="on",
    )
    data.update(overrides)
    return data


def test_hotline_calls_link_repeat_callers_without_storing_the_number(client: Client, login: Any) -> None:
    login("hotline_operator")
    assert client.post("/alerts/hotline/", _call()).status_code == 302
    second = client.post(
        "/alerts/hotline/",
        _call(call_started_at="2026-03-02T09:00", caller_phone="99991234", idempotency_key="k2"),
        follow=True,
    )
    assert "Repeat caller" in second.content.decode()
    first, latest = HotlineCall.objects.order_by("call_started_at")
    assert first.caller_token == latest.caller_token != ""
    assert latest.alert.channel == "hotline" and latest.duration_seconds == 420
    with connection.cursor() as cursor:
        cursor.execute("SELECT caller_phone FROM alerts_hotlinecall")
        assert all("1234" not in row[0] for row in cursor.fetchall())
    # The number never appears on the alert page, only after a logged reveal.
    client.force_login(latest.operator)
    login("duty_officer")
    page = client.get(f"/alerts/{latest.alert.reference}/")
    assert "9999-1234" not in page.content.decode() and "99991234" not in page.content.decode()
    revealed = client.post(f"/alerts/{latest.alert.reference}/reveal-contact/", {"reason": "call back"})
    assert "99991234" in revealed.content.decode()


def test_hotline_call_without_alert(client: Client, login: Any) -> None:
    login("hotline_operator")
    response = client.post("/alerts/hotline/", _call(is_alert="", narrative="", topic_note="Information request"))
    assert response.status_code == 302
    call = HotlineCall.objects.get()
    assert call.alert is None and Alert.objects.count() == 0


# --- RapidPro webhook --------------------------------------------------------------------------------


def webhook(client: Client, body: Any, secret: str = "s3cret") -> Any:  # noqa: S107 - test value
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        "/webhooks/rapidpro/sms/", raw, content_type="application/json", HTTP_AUTHORIZATION=f"Token {secret}"
    )


RAPIDPRO = {
    "contact": {"uuid": "c-1", "name": "", "urn": "tel:+50499990000"},
    "flow": {"uuid": "f-1", "name": "Alerta trata"},
    "run": {"uuid": "run-0001"},
    "results": {
        "signals": {"value": "6, S12", "category": "Has Text"},
        "s01": {"category": "Si"},
        "municipality": {"value": "0501"},
        "happening_now": {"category": "Yes", "value": "si"},
        "ages": {"value": "14 30"},
        "sex": {"value": "mujer"},
        "narrative": {"value": "La tienen encerrada en un bar."},
    },
}


def test_rapidpro_flow_results_become_an_alert(client: Client, sms_channel: Any) -> None:
    response = webhook(client, RAPIDPRO)
    assert response.status_code == 201, response.content
    alert = Alert.objects.get(reference=response.json()["reference"])
    assert alert.channel == "sms" and alert.signal_codes == ["S01", "S06", "S12"]
    assert alert.municipality.code == "0501" and alert.happening_now and alert.priority == "P1"
    assert list(alert.persons.values_list("age", "sex")) == [(14, "female"), (30, "female")]
    assert alert.reporter_contact == "tel:+50499990000"
    # RapidPro retries the same run: same answer, no second alert.
    assert webhook(client, RAPIDPRO).json() == response.json()
    assert Alert.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ("not json", "non_field_errors", "malformed"),
        ({"no": "results"}, "results", "malformed"),
        ({"results": {"signals": {"value": "S99"}}}, "signals", "unknown_signal"),
        ({"results": {"municipality": {"value": "7777"}}}, "municipality", "unknown_municipality"),
        ({"results": {"happening_now": {"category": "tal vez"}}}, "happening_now", "invalid"),
        ({"results": {"ages": {"value": "diez"}}}, "persons", "invalid"),
    ],
)
def test_rapidpro_bad_payloads_are_400_and_save_nothing(
    client: Client, sms_channel: Any, body: Any, field: str, code: str, caplog: Any
) -> None:
    response = webhook(client, body)
    assert response.status_code == 400
    assert response.json()["errors"][field][0]["code"] == code
    assert Alert.objects.count() == 0
    assert "rapidpro webhook sms" in caplog.text


def test_rapidpro_wrong_secret_is_refused(client: Client, sms_channel: Any) -> None:
    assert webhook(client, RAPIDPRO, secret="wrong").status_code == 401
    sms_channel.is_active = False
    sms_channel.save()
    assert webhook(client, RAPIDPRO).status_code == 401
    assert Alert.objects.count() == 0


def test_an_invented_forwarded_for_header_does_not_dodge_the_throttle(reference_data: Any, settings: Any) -> None:
    from django.core.cache import cache
    from rest_framework.test import APIClient

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_alerts": "2/hour"},
    }
    cache.clear()
    client = APIClient()
    statuses = [
        client.post("/api/v1/alerts/", valid_payload(), format="json", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}").status_code
        for n in range(4)
    ]
    assert statuses.count(201) == 2 and statuses[-1] == 429


def test_a_submission_reads_configuration_and_geography_from_memory(api_client: APIClient, reference_data: Any) -> None:
    """After the first submission, signals, rules, levels and municipalities are not read again:
    one generation check stands for them (no N queries per configuration table)."""
    from django.test.utils import CaptureQueriesContext

    assert post(api_client, valid_payload()).status_code == 201
    with CaptureQueriesContext(connection) as captured:
        assert post(api_client, valid_payload(idempotency_key="second")).status_code == 201
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    for table in ("alerts_communitysignal", "alerts_priorityrule", "alerts_prioritylevel", "geo_municipality"):
        assert table not in sql
    assert sql.count("core_configurationgeneration") == 1


def test_an_edit_of_the_signals_applies_to_the_next_submission(api_client: APIClient, reference_data: Any) -> None:
    from ruta.alerts.models import CommunitySignal

    assert post(api_client, valid_payload(signals=["S06"])).status_code == 201
    CommunitySignal.objects.filter(code="S06").get().delete()
    response = post(api_client, valid_payload(signals=["S06"], idempotency_key="after-edit"))
    assert response.status_code == 400
    assert response.json()["errors"]["signals"][0]["code"] == "unknown_signal"


def test_an_unknown_municipality_added_to_the_geography_is_accepted_at_once(
    api_client: APIClient, reference_data: Any
) -> None:
    from ruta.geo.models import Department, Municipality

    assert post(api_client, valid_payload(municipality="0899")).status_code == 400
    Municipality.objects.create(code="0899", name="Nuevo municipio", department=Department.objects.get(code="08"))
    response = post(api_client, valid_payload(municipality="0899", idempotency_key="new-municipality"))
    assert response.status_code == 201
    assert Alert.objects.get(reference=response.json()["reference"]).department.code == "08"


def test_with_redis_the_throttle_counts_there_and_not_in_the_database(
    api_client: APIClient, reference_data: Any, settings: Any
) -> None:
    import redis as redis_library

    from ruta.core.models import ThrottleCounter

    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    redis_library.Redis.from_url(settings.REDIS_URL).flushdb()
    _rates(settings, public_alerts="2/hour")
    assert [post(api_client, valid_payload()).status_code for _ in range(3)] == [201, 201, 429]
    assert not ThrottleCounter.objects.exists()
    keys = redis_library.Redis.from_url(settings.REDIS_URL).keys("ruta:throttle:*")
    assert len(keys) == 1 and b"127.0.0.1" not in keys[0]  # a keyed hash, never the address
    assert 0 < redis_library.Redis.from_url(settings.REDIS_URL).ttl(keys[0]) <= 3600 + 60


def test_an_unreachable_redis_falls_back_to_the_database_throttle(
    api_client: APIClient, reference_data: Any, settings: Any
) -> None:
    from ruta.core.models import ThrottleCounter

    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    _rates(settings, public_alerts="1/hour")
    assert [post(api_client, valid_payload()).status_code for _ in range(2)] == [201, 429]
    assert ThrottleCounter.objects.get().count == 2
