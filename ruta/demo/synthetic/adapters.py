"""The generator's only doors into other apps: their own functions for priorities, tracking hashes,
narrative tokens, person search tokens and case stages, so synthetic rows are what production code
would have written. Each door says clearly what is missing when an app does not provide it yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.apps import apps

from ruta.demo.synthetic import writer


class MissingPiece(RuntimeError):
    """Another app does not provide what the generator needs (yet)."""


def alert_model() -> Any:
    try:
        return apps.get_model("alerts", "Alert")
    except LookupError:
        return None


# --- alerts ----------------------------------------------------------------------------------------


def priority_configuration() -> tuple[Any, Any, dict[str, tuple[dt.timedelta, dt.timedelta]]]:
    """The alerts app's own intake snapshot: the same signals, rules and levels a submission uses."""
    from ruta.alerts.configuration import intake_configuration

    configuration = intake_configuration.get()
    if len(configuration.levels) < 4:
        raise MissingPiece("priority levels P1–P4 are not configured (alerts data migration)")
    return configuration.signals, list(configuration.rules), configuration.levels


def priority(context: Any, codes: Sequence[str], happening_now: bool, persons: Sequence[tuple[Any, str, str]]) -> Any:
    from ruta.alerts.priority import PersonFacts, compute_priority

    return compute_priority(
        signal_codes=codes,
        happening_now=happening_now,
        persons=[PersonFacts(age=age, age_group=group) for age, group, _sex in persons],
        signals=context.signals,
        rules=context.rules,
    )


def tracking_hash(code: str) -> str:
    from ruta.alerts.intake import tracking_hash as alerts_tracking_hash

    return alerts_tracking_hash(code)


NARRATIVE_TOKEN_LIMIT = 60


@lru_cache(maxsize=1 << 16)
def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    from ruta.alerts.intake import narrative_tokens as alerts_narrative_tokens

    return tuple(alerts_narrative_tokens(chunk))


def narrative_tokens(text: str) -> list[str]:
    """``ruta.alerts.intake.narrative_tokens(text)``, computed word by word with a cache: the
    normalisation is per character and per word, so the ordered, de-duplicated union of the words'
    tokens is the text's tokens (the test suite checks the equality)."""
    tokens: dict[str, None] = {}
    for chunk in text.split():
        for token in _chunk_tokens(chunk):
            tokens[token] = None
            if len(tokens) >= NARRATIVE_TOKEN_LIMIT:
                return list(tokens)
    return list(tokens)


# --- persons ---------------------------------------------------------------------------------------


def index_persons(rows: Sequence[tuple[Any, Any]]) -> None:
    """Write the duplicate-search index (blocking tokens and match signatures) of new persons exactly
    as ``ruta.persons.services.person_tokens_rebuild`` does, in bulk. ``rows``: (Person, PersonIdentity
    holding plaintext values)."""
    from ruta.persons import models as persons

    try:
        from ruta.persons import matching
        from ruta.persons.blocking import blocking_keys
        from ruta.persons.services import match_record
    except ImportError as exc:  # pragma: no cover - depends on the persons app's progress
        raise MissingPiece(
            "ruta.persons.matching / blocking / services.match_record missing: no search tokens"
        ) from exc
    signature_model = _model("persons", "PersonMatchSignature")
    tokens, signatures = [], []
    for person, identity in rows:
        record = match_record(person, identity)
        tokens += [(person.pk, kind, token) for kind, token in blocking_keys(record)]
        if signature_model is not None:
            signatures.append(writer.make(signature_model, person_id=person.pk, data=matching.signature(record)))
    writer.insert_values(persons.PersonSearchToken, ("person_id", "kind", "token"), tokens)
    if signature_model is not None:
        writer.insert(signature_model, signatures)


def _model(app_label: str, name: str) -> Any:
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


# --- cases and referrals ----------------------------------------------------------------------------


def closure_reason_ids() -> list[int]:
    model = _model("cases", "ClosureReason")
    return list(model.objects.filter(is_active=True).order_by("id").values_list("id", flat=True)) if model else []


def case_stage(**facts: bool) -> str:
    from ruta.cases.stages import CaseFacts, derive_stage

    return str(derive_stage(CaseFacts(**facts)))


def referral(
    *,
    reference: str,
    case: Any,
    service_id: int,
    to_institution: int,
    sent: dt.datetime,
    now: dt.datetime,
    draw: float,
    has_child: bool,
) -> tuple[Any, list[tuple[str, dt.datetime, str, str]]]:
    """A referral sent ``sent`` and where it stands at ``now`` (accepted, completed, declined or waiting)."""
    from ruta.referrals.models import DEFAULT_DEADLINES, Referral

    urgency = "emergency" if draw < 0.1 else "high" if has_child or draw < 0.3 else "normal"
    accept_within, complete_within = DEFAULT_DEADLINES[urgency]
    accept_due, complete_due = sent + accept_within, sent + complete_within
    history = [("sent", sent, "draft", "sent")]
    # Answers arrive around the deadline (some late); completion within the completion window.
    answered_at = sent + accept_within * (0.2 + (draw * 7 % 1) * 1.2)
    completed_at = sent + complete_within * (0.3 + (draw * 13 % 1) * 0.9)
    status, answered, completed = "sent", None, None
    if answered_at < now:
        answered = answered_at
        status = "declined" if (draw * 3 % 1) < 0.1 else "accepted"
        history.append(("declined" if status == "declined" else "accepted", answered_at, "sent", status))
        if status == "accepted" and completed_at < now and (draw * 11 % 1) < 0.9:
            status, completed = "completed", completed_at
            history.append(("completed", completed_at, "accepted", "completed"))
    row = writer.make(
        Referral,
        reference=reference,
        case_id=case.pk,
        from_institution_id=case.lead_institution_id,
        to_institution_id=to_institution,
        service_id=service_id,
        urgency=urgency,
        reason="Referencia para atención según el plan (sintético).",
        shared_sections=["basic", "needs_assessment"],
        status=status,
        created_by_id=case.owner_id,
        sent_by_id=case.owner_id,
        sent_at=sent,
        accept_due_at=accept_due,
        complete_due_at=complete_due,
        answered_at=answered,
        decline_reason="Sin cupo en este momento (sintético)." if status == "declined" else "",
        completed_at=completed,
        outcome="Servicio prestado (sintético)." if completed else "",
        created_at=sent,
        updated_at=completed or answered or sent,
    )
    return row, history


def write_referrals(
    referrals: list[Any],
    people: list[tuple[Any, list[int]]],
    history: list[tuple[Any, str, dt.datetime, str, str]],
) -> None:
    if not referrals:
        return
    from ruta.cases.models import Consent
    from ruta.referrals.models import Referral, ReferralEvent, ReferralPerson

    writer.insert(Referral, referrals)
    writer.insert(
        ReferralPerson,
        [writer.make(ReferralPerson, referral_id=r.pk, person_id=p) for r, persons in people for p in persons],
    )
    writer.insert(
        ReferralEvent,
        [
            writer.make(
                ReferralEvent, referral_id=r.pk, at=at, actor_id=r.sent_by_id, kind=kind, from_status=old, to_status=new
            )
            for r, kind, at, old, new in history
        ],
    )
    writer.insert(
        Consent,
        [
            writer.make(
                Consent,
                case_id=r.case_id,
                person_id=p,
                purpose="referral",
                referral_id=r.pk,
                granted=True,
                recorded_by_id=r.sent_by_id,
                recorded_at=r.sent_at,
                created_at=r.sent_at,
                updated_at=r.sent_at,
            )
            for r, persons in people
            for p in persons
        ],
    )
