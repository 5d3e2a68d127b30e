"""RapidPro-compatible intake: a flow's "Call webhook" posts its results; we map them to an alert.

Expected body (RapidPro's default webhook payload; only ``results`` is required)::

    {"contact": {"urn": "tel:+50499998888", ...}, "flow": {"name": ...}, "run": {"uuid": ...},
     "results": {"signals": {"value": "S06 S12"}, "municipality": {"value": "0501"},
                 "happening_now": {"category": "Yes"}, "ages": {"value": "15, 30"},
                 "sex": {"value": "female"}, "narrative": {"value": "..."}}}

Result names (case-insensitive): ``signals`` (codes or numbers 1–15 separated by spaces/commas),
``s01``…``s15`` (a yes/no answer each), ``municipality`` (INE code), ``department`` (its code, kept
when the municipality is not known), ``happening_now`` (yes/no),
``age``/``ages`` (numbers), ``age_group`` (child/adult/unknown), ``sex``, ``narrative`` or
``description``. The run UUID is the idempotency key, so RapidPro's retries create nothing new."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from django.utils.translation import gettext as _

from ruta.alerts.intake import AlertInputError
from ruta.alerts.models import MessagingChannel

YES = {"yes", "y", "si", "sí", "s", "true", "1", "oui"}
NO = {"no", "n", "false", "0", "non"}
CHILD_WORDS = {"child", "nino", "niño", "nina", "niña", "menor", "adolescente", "enfant"}
ADULT_WORDS = {"adult", "adulto", "adulta", "adulte"}
SEX_WORDS = {
    "female": "female",
    "f": "female",
    "mujer": "female",
    "femenino": "female",
    "femme": "female",
    "male": "male",
    "m": "male",
    "hombre": "male",
    "masculino": "male",
    "homme": "male",
}


def hash_secret(secret: str) -> str:
    return hashlib.sha256(b"ruta-channel-secret:" + secret.encode()).hexdigest()


def channel_authenticate(code: str, secret: str) -> MessagingChannel | None:
    channel = MessagingChannel.objects.filter(code=code, is_active=True).first()
    if channel is None or not secret:
        return None
    if not hmac.compare_digest(channel.secret_hash, hash_secret(secret)):
        return None
    return channel


def _answer(result: Any) -> str:
    if isinstance(result, dict):
        for key in ("value", "category", "input"):
            value = result.get(key)
            if isinstance(value, (str, int, float)) and str(value).strip():
                return str(value).strip()
        return ""
    if isinstance(result, (str, int, float)):
        return str(result).strip()
    return ""


def _yes(text: str, name: str) -> bool:
    word = text.strip().lower()
    if word in YES:
        return True
    if word in NO or word == "":
        return False
    raise AlertInputError({name: [("invalid", _("Expected a yes/no answer."))]})


def map_flow_results(payload: Any) -> tuple[dict[str, Any], str]:
    """(alert fields in the API's shape, idempotency key) from a RapidPro payload, or AlertInputError."""
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), dict):
        raise AlertInputError({"results": [("malformed", _("The body must be a JSON object with a results object."))]})
    results = {str(key).lower(): value for key, value in payload["results"].items()}
    data: dict[str, Any] = {}
    signals: list[str] = []
    raw = _answer(results.get("signals"))
    for token in re.split(r"[\s,;]+", raw):
        if not token:
            continue
        if token.isdigit():
            token = f"S{int(token):02d}"
        signals.append(token.upper())
    for number in range(1, 16):
        code = f"s{number:02d}"
        if code in results and _yes(_answer(results[code]), f"results.{code}"):
            signals.append(code.upper())
    data["signals"] = sorted(set(signals))
    municipality = _answer(results.get("municipality"))
    if municipality:
        data["municipality"] = municipality
    department = _answer(results.get("department"))
    if department:
        data["department"] = department
    if "happening_now" in results:
        data["happening_now"] = _yes(_answer(results["happening_now"]), "happening_now")
    sex = SEX_WORDS.get(_answer(results.get("sex")).lower(), "unknown")
    group_word = _answer(results.get("age_group")).lower()
    group = "child" if group_word in CHILD_WORDS else "adult" if group_word in ADULT_WORDS else "unknown"
    ages_text = _answer(results.get("ages")) or _answer(results.get("age"))
    persons: list[dict[str, Any]] = []
    for token in re.split(r"[\s,;]+", ages_text):
        if not token:
            continue
        if not token.isdigit():
            raise AlertInputError({"persons": [("invalid", _("Ages must be whole numbers."))]})
        persons.append({"age": int(token), "age_group": "unknown", "sex": sex})
    if not persons and (group != "unknown" or sex != "unknown"):
        persons.append({"age": None, "age_group": group, "sex": sex})
    data["persons"] = persons
    narrative = _answer(results.get("narrative")) or _answer(results.get("description"))
    flow: dict[str, Any] = payload["flow"] if isinstance(payload.get("flow"), dict) else {}
    if not narrative:
        narrative = _("Reported through the messaging flow %(flow)s without a description.") % {
            "flow": str(flow.get("name") or "")[:80]
        }
    data["narrative"] = narrative
    contact: dict[str, Any] = payload["contact"] if isinstance(payload.get("contact"), dict) else {}
    urn = contact.get("urn") if isinstance(contact.get("urn"), str) else ""
    if urn:
        data["reporter_contact"] = urn
    run: dict[str, Any] = payload["run"] if isinstance(payload.get("run"), dict) else {}
    key = str(run.get("uuid") or "")[:100]
    return data, key
