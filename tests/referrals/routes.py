"""Permission matrix entries for every referral page and API endpoint.

The world: a case of the ERI responder (Francisco Morazán) referred to SESAL's health care; the
receiving side is SESAL (caseworker, supervisor_health); the sending side is the case team
(eri_responder) and the ERI supervisor who oversees the institution's cases."""

from __future__ import annotations

from typing import Any

from tests.access.harness import Route
from tests.referrals.factories import accepted_referral, make_case, make_referral, service, victims

SENDERS_AND_RECEIVERS = {
    "eri_responder",
    "caseworker",
    "supervisor",
    "legal_liaison",
    "caseworker_ngo",
    "eri_responder_north",
    "supervisor_health",
}
SESAL_RECEIVERS = {"caseworker", "supervisor_health"}
SEES_SENT_REFERRAL = {"eri_responder", "supervisor"} | SESAL_RECEIVERS


def _case(personas: dict[str, Any]) -> dict[str, Any]:
    case = make_case(personas)
    return {"case": case, "person": victims(case)[0]}


def _sent(personas: dict[str, Any]) -> dict[str, Any]:
    return {"referral": make_referral(personas)}


def _draft(personas: dict[str, Any]) -> dict[str, Any]:
    referral = make_referral(personas, consent=False, send=False)
    return {"referral": referral, "person": victims(referral.case)[0]}


def _consented_draft(personas: dict[str, Any]) -> dict[str, Any]:
    return {"referral": make_referral(personas, send=False)}


def _accepted(personas: dict[str, Any]) -> dict[str, Any]:
    return {"referral": accepted_referral(personas)}


def _accepted_by_prosecutor(personas: dict[str, Any]) -> dict[str, Any]:
    return {"referral": accepted_referral(personas, to=("mp", "prosecution"))}


def ref(world: dict[str, Any]) -> dict[str, Any]:
    return {"reference": world["referral"].reference}


def _new_form(world: dict[str, Any]) -> dict[str, Any]:
    person = world["person"]
    return {
        "case": world["case"].reference,
        "persons": [person.pk],
        "service": service("sesal", "health_care").pk,
        "urgency": "normal",
        "shared_sections": ["basic"],
        f"consent_{person.pk}": "granted",
        "action": "send",
    }


def _new_api(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "case": world["case"].reference,
        "persons": [world["person"].reference],
        "institution": "sesal",
        "service": "health_care",
        "urgency": "high",
        "shared_sections": ["basic"],
        "consents": [{"person": world["person"].reference, "granted": True}],
        "idempotency_key": "matrix-1",
    }


REDIRECT = frozenset({302})
ROUTES = [
    Route("referrals:list", SENDERS_AND_RECEIVERS),
    Route(
        "referrals:new",
        {"eri_responder"},
        world=_case,
        data=lambda w: {"case": w["case"].reference},
    ),
    Route("referrals:detail", SEES_SENT_REFERRAL, world=_sent, kwargs=ref),
    Route("referrals:detail", {"eri_responder", "supervisor"}, world=_draft, kwargs=ref, label="draft"),
    Route(
        "referrals:consent",
        {"eri_responder"},
        method="POST",
        world=_draft,
        kwargs=ref,
        data=lambda w: {"person": w["person"].pk, "granted": "1"},
        ok=REDIRECT,
    ),
    Route(
        "referrals:override",
        {"supervisor"},
        method="POST",
        world=_draft,
        kwargs=ref,
        data=lambda w: {"override-reason": "Riesgo inminente"},
        ok=REDIRECT,
    ),
    Route("referrals:send", {"eri_responder"}, method="POST", world=_consented_draft, kwargs=ref, ok=REDIRECT),
    Route("referrals:accept", SESAL_RECEIVERS, method="POST", world=_sent, kwargs=ref, ok=REDIRECT),
    Route(
        "referrals:decline",
        SESAL_RECEIVERS,
        method="POST",
        world=_sent,
        kwargs=ref,
        data=lambda w: {"decline-reason": "Sin cupo"},
        ok=REDIRECT,
    ),
    Route(
        "referrals:complete",
        SESAL_RECEIVERS,
        method="POST",
        world=_accepted,
        kwargs=ref,
        data=lambda w: {"outcome": "Atendida"},
        ok=REDIRECT,
    ),
    Route(
        "referrals:revoke",
        {"eri_responder"},
        method="POST",
        world=_sent,
        kwargs=ref,
        data=lambda w: {"revoke-reason": "Traslado"},
        ok=REDIRECT,
    ),
    Route(
        "referrals:milestone",
        {"legal_liaison"},
        method="POST",
        world=_accepted_by_prosecutor,
        kwargs=ref,
        data=lambda w: {"kind": "complaint_filed", "occurred_on": "2026-01-15"},
        ok=REDIRECT,
    ),
    Route(
        "referrals:new",
        {"eri_responder"},
        method="POST",
        world=_case,
        kwargs=None,
        data=_new_form,
        ok=REDIRECT,
        label="post",
        extra_headers={},
    ),
    Route("api:referrals", SENDERS_AND_RECEIVERS),
    Route(
        "api:referrals", {"eri_responder"}, method="POST", world=_case, data=_new_api, ok=frozenset({201}), label="send"
    ),
    Route("api:referral-detail", SEES_SENT_REFERRAL, world=_sent, kwargs=ref),
    Route("api:referral-send", {"eri_responder"}, method="POST", world=_consented_draft, kwargs=ref),
    Route("api:referral-accept", SESAL_RECEIVERS, method="POST", world=_sent, kwargs=ref),
    Route(
        "api:referral-decline", SESAL_RECEIVERS, method="POST", world=_sent, kwargs=ref, data=lambda w: {"reason": "x"}
    ),
    Route(
        "api:referral-complete",
        SESAL_RECEIVERS,
        method="POST",
        world=_accepted,
        kwargs=ref,
        data=lambda w: {"outcome": "ok"},
    ),
    Route(
        "api:referral-revoke", {"eri_responder"}, method="POST", world=_sent, kwargs=ref, data=lambda w: {"reason": "x"}
    ),
]
