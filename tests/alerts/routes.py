"""The permission matrix entries of the early-warning app (see tests/access/harness.py)."""

from __future__ import annotations

from typing import Any

from ruta.alerts.configuration import catalogue_load
from ruta.alerts.intake import alert_submit, clean_submission
from ruta.alerts.models import MessagingChannel
from ruta.alerts.rapidpro import hash_secret
from ruta.institutions.models import Institution
from tests.access.harness import Route
from tests.alerts.conftest import valid_payload

VIEWERS_OWN = {"hotline_operator", "community_reporter", "labour_inspector"}
QUEUE_READERS = {
    "duty_officer",
    "eri_responder",
    "supervisor",
    "eri_responder_north",
    "supervisor_health",
} | VIEWERS_OWN
CREATORS = {
    "hotline_operator",
    "community_reporter",
    "eri_responder",
    "caseworker",
    "labour_inspector",
    "caseworker_ngo",
    "eri_responder_north",
}
# Who reaches an alert from Francisco Morazán (0801) that nobody was assigned to: the national
# duty officer, the ERI's national responder and its supervisor (the ERI has no territory).
CAPITAL_TRIAGERS = {"duty_officer", "eri_responder", "supervisor"}
# ... and one from Cortés (0501).
NORTH_TRIAGERS = {"duty_officer", "eri_responder", "supervisor", "eri_responder_north"}
WEBHOOK_SECRET = "matrix-webhook-secret"


def _catalogue(personas: dict[str, Any]) -> dict[str, Any]:
    catalogue_load()  # a transactional test elsewhere may have flushed the migration-loaded catalogue
    return {}


def _world(personas: dict[str, Any]) -> dict[str, Any]:
    catalogue_load()
    reporter = personas["community_reporter"]
    capital = alert_submit(actor=None, data=clean_submission(valid_payload()), channel="public_web")
    other = alert_submit(actor=None, data=clean_submission(valid_payload()), channel="public_web")
    north = alert_submit(actor=None, data=clean_submission(valid_payload(municipality="0501")), channel="api")
    own = alert_submit(actor=reporter, data=clean_submission(valid_payload()), channel="staff")
    MessagingChannel.objects.create(code="sms-145", name="SMS 145", secret_hash=hash_secret(WEBHOOK_SECRET))
    return {
        "capital": capital.alert,
        "capital_code": capital.tracking_code,
        "other": other.alert,
        "north": north.alert,
        "own": own.alert,
        "senaf": Institution.objects.get(code="senaf"),
    }


def _inspector_world(personas: dict[str, Any]) -> dict[str, Any]:
    catalogue_load()
    data = clean_submission(valid_payload(persons=[{"age": 35, "age_group": "adult", "sex": "male"}]))
    return {"inspection": alert_submit(actor=personas["labour_inspector"], data=data, channel="staff").alert}


# A valid formal screening of an alert's first person (a 15-year-old girl: the child labour list).
SCREENING_CODES = ["THB-CL-DR-01", "THB-CL-DR-10", "THB-CL-EX-01", "THB-CL-EX-02"]


def _screen_kwargs(key: str) -> Any:
    return lambda w: {"reference": w[key].reference, "person": w[key].persons.first().pk}


def _screen_data(key: str, age: str = "15", codes: list[str] = SCREENING_CODES) -> Any:
    def data(w: dict[str, Any]) -> dict[str, Any]:
        prefix = f"screen-{w[key].persons.first().pk}"
        return {f"{prefix}-age": age, f"{prefix}-exploitation": "labour", f"{prefix}-indicators": codes}

    return data


def _screen(key: str, allowed: set[str], label: str, world: Any = None, **extra: Any) -> Route:
    return Route(
        "alerts:screen-person",
        allowed,
        method="POST",
        world=world or _world,
        kwargs=_screen_kwargs(key),
        data=extra.pop("data", _screen_data(key)),
        ok=frozenset({302}),
        label=label,
    )


def _ref(key: str) -> Any:
    return lambda w: {"reference": w[key].reference}


def _triage(name: str, data: Any = None, ok: frozenset[int] = frozenset({302}), label: str = "") -> list[Route]:
    return [
        Route(
            name, CAPITAL_TRIAGERS, method="POST", world=_world, kwargs=_ref("capital"), data=data, ok=ok, label=label
        ),
        Route(
            name,
            NORTH_TRIAGERS,
            method="POST",
            world=_world,
            kwargs=_ref("north"),
            data=data,
            ok=ok,
            label=(label + "-north").lstrip("-"),
        ),
    ]


ROUTES = [
    # Public pages and webhooks.
    Route("report:form", set(), public=True, world=_catalogue),
    Route(
        "report:form",
        set(),
        method="POST",
        public=True,
        label="submit",
        world=_catalogue,
        data=lambda w: {
            "narrative": "Vi a dos niñas encerradas en una casa.",
            "municipality": "0801",
            "signals": ["S06"],
            "happening_now": "yes",
            "idempotency_key": "matrix-form",
            "person-TOTAL_FORMS": "1",
            "person-INITIAL_FORMS": "0",
            "person-0-age": "12",
            "person-0-age_group": "unknown",
            "person-0-sex": "female",
        },
    ),
    Route("report:service-worker", set(), public=True),
    Route("report:track", set(), public=True),
    Route(
        "report:track",
        set(),
        method="POST",
        public=True,
        label="lookup",
        world=_world,
        data=lambda w: {"code": w["capital_code"]},
    ),
    Route(
        "report:rapidpro",
        set(),
        method="POST",
        public=True,
        json=True,
        world=_world,
        kwargs=lambda w: {"channel": "sms-145"},
        data=lambda w: {"results": {"signals": {"value": "6 12"}, "municipality": {"value": "0801"}}},
        ok=frozenset({201}),
        extra_headers={"HTTP_AUTHORIZATION": f"Token {WEBHOOK_SECRET}"},
    ),
    # Staff pages.
    Route("alerts:queue", QUEUE_READERS),
    Route("alerts:new", CREATORS, world=_catalogue),
    Route("alerts:hotline", {"hotline_operator"}, world=_catalogue),
    Route("alerts:detail", CAPITAL_TRIAGERS, world=_world, kwargs=_ref("capital")),
    Route("alerts:detail", NORTH_TRIAGERS, world=_world, kwargs=_ref("north"), label="north"),
    Route("alerts:detail", CAPITAL_TRIAGERS | {"community_reporter"}, world=_world, kwargs=_ref("own"), label="own"),
    *_triage("alerts:take"),
    *_triage("alerts:release"),
    *_triage("alerts:acknowledge"),
    *_triage("alerts:assign", data=lambda w: {"responder": w["personas"]["duty_officer"].pk}),
    *_triage("alerts:note", data=lambda w: {"note": "Llamamos a la persona que reportó."}),
    *_triage("alerts:close", data=lambda w: {"status": "closed_unfounded", "reason": "No se encontró a nadie."}),
    *_triage("alerts:refer", data=lambda w: {"institution": w["senaf"].pk, "reason": "child_protection"}),
    *_triage("alerts:merge", data=lambda w: {"into": w["other"].reference}),
    *_triage("alerts:open-case", data=lambda w: {"persons": [str(w["capital"].persons.get().pk)]}),
    *_triage("alerts:reveal-contact", data=lambda w: {"reason": "Devolver la llamada"}, ok=frozenset({200})),
    # Formal screening of a person: SCREENING_RUN reaching the alert, on an alert one may see.
    _screen("capital", CAPITAL_TRIAGERS, "capital"),
    _screen("north", NORTH_TRIAGERS, "north"),
    _screen("own", CAPITAL_TRIAGERS, "reporter-own"),
    _screen(
        "inspection",
        CAPITAL_TRIAGERS | {"labour_inspector"},
        "inspector-own",
        world=_inspector_world,
        data=_screen_data("inspection", age="35", codes=["THB-AL-DR-01", "THB-AL-EX-01"]),
    ),
    # API.
    Route("api:alert-list", QUEUE_READERS),
    Route(
        "api:alert-list",
        set(),
        method="POST",
        public=True,
        label="submit",
        world=_catalogue,
        data=lambda w: valid_payload(),
        ok=frozenset({201}),
    ),
    Route("api:alert-detail", CAPITAL_TRIAGERS, world=_world, kwargs=_ref("capital")),
    Route("api:alert-detail", NORTH_TRIAGERS, world=_world, kwargs=_ref("north"), label="north"),
    Route("api:alert-track", set(), public=True, world=_world, kwargs=lambda w: {"code": w["capital_code"]}),
    Route(
        "api:alert-track-lookup",
        set(),
        method="POST",
        public=True,
        world=_world,
        data=lambda w: {"code": w["capital_code"]},
    ),
]
