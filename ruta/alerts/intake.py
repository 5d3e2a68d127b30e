"""Intake from every channel: validating a submission, prioritising it, recording the alert with
its tracking code and narrative tokens, and what the reporter may learn afterwards."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.alerts.configuration import IntakeConfiguration, intake_configuration
from ruta.alerts.events import event_row
from ruta.alerts.models import (
    ALERT_REFERENCE_PREFIX,
    CONTACT_MAX_LENGTH,
    MAX_PERSONS,
    NARRATIVE_MAX_LENGTH,
    PUBLIC_STATUS,
    Alert,
    AlertEventKind,
    AlertPerson,
    AlertStatus,
    AlertToken,
    Channel,
)
from ruta.alerts.priority import PersonFacts, PriorityResult, compute_priority
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_event
from ruta.core import crypto, rows
from ruta.core.idempotency import run_idempotent
from ruta.core.references import next_reference
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution
from ruta.persons.models import AgeGroup, Sex
from ruta.policy.access import Reader

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed on phones
TRACKING_LENGTH = 12  # 12 symbols of 31 ≈ 59 bits
MAX_AGE = 120


class AlertInputError(Exception):
    """Field errors: ``{field: [(code, message)]}``. Nothing was saved."""

    def __init__(self, errors: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class PersonInput:
    age: int | None = None
    age_group: str = AgeGroup.UNKNOWN
    sex: str = Sex.UNKNOWN


@dataclass
class AlertInput:
    narrative: str
    municipality: Municipality | None = None
    # Kept when the reporter knows the department but not the municipality: it routes the alert.
    department: Department | None = None
    signal_codes: list[str] = field(default_factory=list)
    happening_now: bool = False
    persons: list[PersonInput] = field(default_factory=list)
    reporter_contact: str = ""


def clean_submission(
    raw: Mapping[str, Any], *, narrative_required: bool = True, configuration: IntakeConfiguration | None = None
) -> AlertInput:
    """Validate primitive input shared by every channel; unknown codes are named in the error."""
    errors: dict[str, list[tuple[str, str]]] = {}

    def add(name: str, code: str, message: str) -> None:
        errors.setdefault(name, []).append((code, message))

    narrative = raw.get("narrative")
    if narrative is None:
        narrative = ""
    if not isinstance(narrative, str):
        add("narrative", "invalid", _("Describe what happened as text."))
        narrative = ""
    narrative = narrative.strip()
    if narrative_required and not narrative:
        add("narrative", "required", _("Tell us briefly what happened."))
    if len(narrative) > NARRATIVE_MAX_LENGTH:
        add(
            "narrative",
            "max_length",
            _("The description is too long (%(length)d characters; the limit is %(limit)d).")
            % {"length": len(narrative), "limit": NARRATIVE_MAX_LENGTH},
        )

    configuration = configuration or intake_configuration.get()
    municipality = None
    code = raw.get("municipality")
    if code not in (None, ""):
        if not isinstance(code, str):
            add("municipality", "invalid", _('Give the municipality\'s code as text, e.g. "0801".'))
        else:
            municipality = configuration.municipality(code.strip())
            if municipality is None:
                add("municipality", "unknown_municipality", _("Unknown municipality code: %(code)s.") % {"code": code})
    department = None
    code = raw.get("department")
    if code not in (None, ""):
        if not isinstance(code, str):
            add("department", "invalid", _('Give the department\'s code as text, e.g. "08".'))
        else:
            department = configuration.department(code.strip())
            if department is None:
                add("department", "unknown_department", _("Unknown department code: %(code)s.") % {"code": code})
    if municipality is not None and department is not None and municipality.department_id != department.pk:
        # Which of the two is wrong cannot be guessed, and the place decides who handles the alert.
        add("municipality", "inconsistent", _("The municipality is not in the department chosen."))

    signals = raw.get("signals") or []
    codes: list[str] = []
    if not isinstance(signals, list) or not all(isinstance(item, str) for item in signals):
        add("signals", "invalid", _('Signals must be a list of codes such as "S06".'))
    else:
        known = configuration.active_signal_codes
        wanted = [item.strip().upper() for item in signals]
        unknown = sorted({item for item in wanted if item not in known})
        if unknown:
            add("signals", "unknown_signal", _("Unknown signal code: %(codes)s.") % {"codes": ", ".join(unknown)})
        codes = sorted(set(wanted) & known)

    happening_now = raw.get("happening_now", False)
    if happening_now is None:
        happening_now = False
    if not isinstance(happening_now, bool):
        add("happening_now", "invalid", _("Answer yes (true) or no (false)."))
        happening_now = False

    persons: list[PersonInput] = []
    raw_persons = raw.get("persons") or []
    if not isinstance(raw_persons, list):
        add("persons", "invalid", _("Persons must be a list."))
        raw_persons = []
    if len(raw_persons) > MAX_PERSONS:
        add("persons", "max_length", _("At most %(limit)d persons per alert.") % {"limit": MAX_PERSONS})
        raw_persons = []
    for index, item in enumerate(raw_persons):
        name = f"persons[{index}]"
        if not isinstance(item, dict):
            add(name, "invalid", _("Each person is an object with age, age_group and sex."))
            continue
        age = item.get("age")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE):
            add(f"{name}.age", "invalid", _("Age must be a whole number of years between 0 and 120, or empty."))
            age = None
        group = item.get("age_group") or AgeGroup.UNKNOWN
        if group not in AgeGroup.values:
            add(f"{name}.age_group", "invalid_choice", _("Age group must be child, adult or unknown."))
            group = AgeGroup.UNKNOWN
        if age is not None:
            implied = AgeGroup.CHILD if age < 18 else AgeGroup.ADULT
            if group != AgeGroup.UNKNOWN and group != implied:
                add(f"{name}.age_group", "inconsistent", _("The age group does not match the age."))
            group = implied
        sex = item.get("sex") or Sex.UNKNOWN
        if sex not in Sex.values:
            add(f"{name}.sex", "invalid_choice", _("Sex must be female, male, intersex or unknown."))
            sex = Sex.UNKNOWN
        persons.append(PersonInput(age=age, age_group=group, sex=sex))

    contact = raw.get("reporter_contact") or ""
    if not isinstance(contact, str):
        add("reporter_contact", "invalid", _("Give a contact as text."))
        contact = ""
    contact = contact.strip()
    if len(contact) > CONTACT_MAX_LENGTH:
        add(
            "reporter_contact",
            "max_length",
            _("The contact is too long (the limit is %(limit)d characters).") % {"limit": CONTACT_MAX_LENGTH},
        )
    if errors:
        raise AlertInputError(errors)
    return AlertInput(
        narrative=narrative,
        municipality=municipality,
        department=department,
        signal_codes=codes,
        happening_now=happening_now,
        persons=persons,
        reporter_contact=contact,
    )


def assess(data: AlertInput, configuration: IntakeConfiguration | None = None) -> PriorityResult:
    configuration = configuration or intake_configuration.get()
    return compute_priority(
        signal_codes=data.signal_codes,
        happening_now=data.happening_now,
        persons=[PersonFacts(age=p.age, age_group=p.age_group) for p in data.persons],
        signals=configuration.signals,
        rules=list(configuration.rules),
    )


# --- tracking codes, narrative tokens --------------------------------------------------------------


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_tracking_code(code: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())


def tracking_hash(code: str) -> str:
    """Unkeyed on purpose (survives key rotation): 59 random bits make guessing hopeless."""
    return hashlib.sha256(b"ruta-alert-tracking:" + normalise_tracking_code(code).encode()).hexdigest()


STOPWORDS = frozenset(
    [
        "para",
        "pero",
        "como",
        "esta",
        "este",
        "esto",
        "estan",
        "porque",
        "donde",
        "cuando",
        "tiene",
        "tienen",
        "hace",
        "hacen",
        "desde",
        "sobre",
        "entre",
        "hasta",
        "muy",
        "mas",
        "todo",
        "todos",
        "toda",
        "todas",
        "otra",
        "otro",
        "otros",
        "otras",
        "ellos",
        "ellas",
        "nosotros",
        "usted",
        "ustedes",
        "alli",
        "aqui",
        "that",
        "this",
        "with",
        "from",
        "they",
        "them",
        "their",
        "there",
        "have",
        "were",
        "been",
        "will",
        "would",
        "about",
        "which",
        "when",
        "where",
        "what",
        "into",
        "also",
        "dans",
        "avec",
        "pour",
        "elle",
        "elles",
        "sont",
        "mais",
    ]
)


def narrative_tokens(text: str, *, limit: int = 60) -> list[str]:
    """Keyed hashes of the narrative's distinctive words (accents folded, short and common words dropped)."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", folded):
        if len(word) >= 4 and word not in STOPWORDS and word not in words:
            words.append(word)
        if len(words) >= limit:
            break
    return [crypto.search_token(word, purpose="alert-narrative")[:16] for word in words]


# --- recording ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    alert: Alert
    tracking_code: str

    def answer(self) -> dict[str, Any]:
        """The answer every channel gives the reporter (DESIGN §6)."""
        return {
            "reference": self.alert.reference,
            "tracking_code": self.tracking_code,
            "priority": self.alert.priority,
            "received_at": self.alert.received_at.isoformat(),
        }


def reporting_institution_of(actor: Reader) -> Institution | None:
    if not isinstance(actor, User):
        return None
    membership = actor.memberships.filter(is_active=True).select_related("institution").first()
    return membership.institution if membership else None


# No savepoint: a failure anywhere inside rolls the caller's whole transaction back anyway, and the
# two extra round trips per submission are measurable at intake rates.
@transaction.atomic(savepoint=False)
def alert_submit(
    *,
    actor: Reader,
    data: AlertInput,
    channel: str,
    received_at: datetime | None = None,
    is_synthetic: bool = False,
    configuration: IntakeConfiguration | None = None,
) -> Submitted:
    """Record an alert from any channel: priority, deadlines, persons, narrative tokens, timeline."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    configuration = configuration or intake_configuration.get()
    now = timezone.now()
    received = received_at or now
    result = assess(data, configuration)
    acknowledge_due, first_response_due = configuration.deadlines_for(result.priority, received)
    code = new_tracking_code()
    creator = actor if getattr(actor, "is_authenticated", False) else None
    institution = reporting_institution_of(creator)
    if data.municipality is not None:
        department_id: int | None = data.municipality.department_id
    else:
        department_id = data.department.pk if data.department else None
    # The hottest write path: plain inserts (``ruta.core.rows``), not the ORM's insert compiler.
    alert = rows.new(
        Alert,
        reference=next_reference(ALERT_REFERENCE_PREFIX),
        tracking_hash=tracking_hash(code),
        channel=channel,
        status=AlertStatus.NEW,
        is_open=True,
        public_status_changed_at=received,
        received_at=received,
        municipality_id=data.municipality.pk if data.municipality else None,
        department_id=department_id,
        happening_now=data.happening_now,
        signal_codes=data.signal_codes,
        narrative=data.narrative,
        reporter_contact=data.reporter_contact,
        child_involved=result.child_involved,
        priority=result.priority,
        priority_rationale=result.rationale(),
        palermo_reading=result.palermo,
        acknowledge_due_at=acknowledge_due,
        first_response_due_at=first_response_due,
        created_by_id=creator.pk if creator else None,
        reporting_institution_id=institution.pk if institution else None,
        is_synthetic=is_synthetic,
    )
    rows.insert([alert])
    alert.municipality = data.municipality
    rows.insert_together(
        [
            rows.new(AlertPerson, alert_id=alert.pk, position=index, age=p.age, age_group=p.age_group, sex=p.sex)
            for index, p in enumerate(data.persons)
        ],
        [rows.new(AlertToken, alert_id=alert.pk, token=t) for t in narrative_tokens(data.narrative)],
        [
            event_row(
                alert,
                actor=actor,
                kind=AlertEventKind.RECEIVED,
                new={"channel": channel, "priority": alert.priority},
                at=received,
            )
        ],
        [
            audit_event(
                actor=actor,
                action=AuditAction.CREATE,
                obj=alert,
                summary=f"alert received ({channel}, {alert.priority})",
            )
        ],
    )
    return Submitted(alert, code)


IDEMPOTENCY_SCOPE = "alerts.submit"


def alert_submit_once(
    *,
    actor: Reader,
    data: AlertInput,
    channel: str,
    idempotency_key: str | None,
    payload: Any,
    configuration: IntakeConfiguration | None = None,
) -> tuple[int, dict[str, Any]]:
    """``alert_submit`` guarded by an idempotency key shared by every channel: the same key gives
    the same answer (status 201 and body) and never a second alert, even for concurrent retries."""

    def work() -> tuple[int, dict[str, Any]]:
        submitted = alert_submit(actor=actor, data=data, channel=channel, configuration=configuration)
        return 201, submitted.answer()

    result = run_idempotent(
        scope=IDEMPOTENCY_SCOPE, key=idempotency_key or None, payload=payload, work=work, always_runnable=True
    )
    return result.status, result.body


# --- what the reporter may learn ------------------------------------------------------------------


def public_status_of(alert: Alert) -> tuple[str, datetime]:
    """The reporter's view: merged alerts follow the alert they were merged into."""
    seen = set()
    while alert.status == AlertStatus.MERGED and alert.merged_into_id and alert.pk not in seen:
        seen.add(alert.pk)
        alert = Alert.objects.only("status", "merged_into", "public_status_changed_at").get(pk=alert.merged_into_id)
    return str(PUBLIC_STATUS[AlertStatus(alert.status)]), alert.public_status_changed_at


def alert_by_tracking_code(code: str) -> Alert | None:
    if len(normalise_tracking_code(code)) != TRACKING_LENGTH:
        return None
    return (
        Alert.objects.only("status", "merged_into", "public_status_changed_at")
        .filter(tracking_hash=tracking_hash(code))
        .first()
    )
