"""Every change to an alert: intake from every channel, triage, outcomes. Each writes the alert's
timeline event and the audit row in the same transaction."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.alerts import catalogue
from ruta.alerts.models import (
    ALERT_REFERENCE_PREFIX,
    CONTACT_MAX_LENGTH,
    MAX_PERSONS,
    NARRATIVE_MAX_LENGTH,
    OPEN_STATUSES,
    PUBLIC_STATUS,
    Alert,
    AlertEvent,
    AlertEventKind,
    AlertPerson,
    AlertStatus,
    AlertToken,
    CallerType,
    Channel,
    CommunitySignal,
    HotlineCall,
    IntakeThrottle,
    PriorityLevel,
    PriorityRule,
    ReferralReason,
)
from ruta.alerts.permissions import AlertPermission
from ruta.alerts.priority import PersonFacts, PriorityResult, RuleDef, SignalDef, compute_priority
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_event, audit_record
from ruta.cases.permissions import CasePermission
from ruta.core import crypto, rows
from ruta.core.generations import Generational
from ruta.core.idempotency import run_idempotent
from ruta.core.redis import client as redis_connection
from ruta.core.references import next_reference
from ruta.geo.apps import GEOGRAPHY
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution, InstitutionType
from ruta.persons.models import AgeGroup, Sex
from ruta.policy import access

logger = logging.getLogger(__name__)

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed on phones
TRACKING_LENGTH = 12  # 12 symbols of 31 ≈ 59 bits
LOCK_MINUTES = 30
MAX_AGE = 120


# --- input ---------------------------------------------------------------------------------------


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
        signal_codes=codes,
        happening_now=happening_now,
        persons=persons,
        reporter_contact=contact,
    )


# --- configuration -------------------------------------------------------------------------------


@transaction.atomic
def catalogue_load() -> dict[str, int]:
    """Create the default signals, priority levels and rules of DESIGN §3 that do not exist yet
    (idempotent; never overwrites an administrator's edits). The data migration does the same."""
    created = {"signals": 0, "levels": 0, "rules": 0}
    for order, (code, group, danger, labels) in enumerate(catalogue.DEFAULT_SIGNALS, start=1):
        _obj, new = CommunitySignal.objects.get_or_create(
            code=code, defaults={"group": group, "is_danger": danger, "labels": labels, "sort_order": order}
        )
        created["signals"] += new
    for code, labels, acknowledge, first in catalogue.DEFAULT_LEVELS:
        _level, new = PriorityLevel.objects.get_or_create(
            code=code,
            defaults={
                "labels": labels,
                "acknowledge_within": timedelta(hours=acknowledge),
                "first_response_within": timedelta(hours=first),
            },
        )
        created["levels"] += new
    for rule in catalogue.DEFAULT_RULES:
        fields = {key: value for key, value in rule.items() if key != "code"}
        _rule, new = PriorityRule.objects.get_or_create(code=rule["code"], defaults=fields)
        created["rules"] += new
    return created


def _load_signals() -> dict[str, SignalDef]:
    return {
        code: SignalDef(code, group, danger)
        for code, group, danger in CommunitySignal.objects.values_list("code", "group", "is_danger")
    }


def _load_rules() -> list[RuleDef]:
    return [
        RuleDef(
            code=rule.code,
            priority=rule.priority,
            order=rule.order,
            requires_happening_now=rule.requires_happening_now,
            requires_child=rule.requires_child,
            requires_danger_signal=rule.requires_danger_signal,
            any_of_signals=tuple(rule.any_of_signals or ()),
            min_signals=rule.min_signals,
            min_groups=rule.min_groups,
        )
        for rule in PriorityRule.objects.filter(is_active=True)
    ]


@dataclass(frozen=True)
class IntakeConfiguration:
    """What every submission is validated and prioritised against: one snapshot per request."""

    signals: dict[str, SignalDef]
    active_signal_codes: frozenset[str]
    rules: tuple[RuleDef, ...]
    levels: dict[str, tuple[timedelta, timedelta]]
    municipalities: dict[str, tuple[int, str, int]]  # code → (id, name, department id)

    def municipality(self, code: str) -> Municipality | None:
        found = self.municipalities.get(code)
        if found is None:
            return None
        pk, name, department_id = found
        return Municipality(pk=pk, code=code, name=name, department_id=department_id)

    def deadlines_for(self, priority: str, received_at: datetime) -> tuple[datetime, datetime]:
        acknowledge, first = self.levels.get(priority) or DEFAULT_DEADLINES[priority]
        return received_at + acknowledge, received_at + first


DEFAULT_DEADLINES = {
    code: (timedelta(hours=acknowledge), timedelta(hours=first))
    for code, _labels, acknowledge, first in catalogue.DEFAULT_LEVELS
}


def _load_intake_configuration() -> IntakeConfiguration:
    return IntakeConfiguration(
        signals=_load_signals(),
        active_signal_codes=frozenset(CommunitySignal.objects.filter(is_active=True).values_list("code", flat=True)),
        rules=tuple(_load_rules()),
        levels={
            code: (acknowledge, first)
            for code, acknowledge, first in PriorityLevel.objects.values_list(
                "code", "acknowledge_within", "first_response_within"
            )
        },
        municipalities={
            code: (pk, name, department_id)
            for pk, code, name, department_id in Municipality.objects.values_list("pk", "code", "name", "department_id")
        },
    )


INTAKE_CONFIGURATION = "alerts.intake"
intake_configuration = Generational((INTAKE_CONFIGURATION, GEOGRAPHY), _load_intake_configuration)


def assess(data: AlertInput, configuration: IntakeConfiguration | None = None) -> PriorityResult:
    configuration = configuration or intake_configuration.get()
    return compute_priority(
        signal_codes=data.signal_codes,
        happening_now=data.happening_now,
        persons=[PersonFacts(age=p.age, age_group=p.age_group) for p in data.persons],
        signals=configuration.signals,
        rules=list(configuration.rules),
    )


# --- tracking codes, tokens ----------------------------------------------------------------------


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


def phone_token(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 8:  # a Honduran number without the country code
        digits = "504" + digits
    return crypto.search_token(digits, purpose="hotline-caller")[:24] if digits else ""


# --- throttling ----------------------------------------------------------------------------------

PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


def parse_rate(rate: str) -> tuple[int, int]:
    number, _slash, period = rate.partition("/")
    return int(number), PERIODS[period.strip().lower()]


def throttle_hit(*, scope: str, ident: str, rate: str) -> bool:
    """Count one submission for ``ident``; False when the window's limit is exceeded.

    Counted outside the submission's transaction (a refused or failing submission still counts) and
    stored as a keyed hash: no IP address is kept. With Redis the counter lives there (a flood from
    one address then never queues on one database row); without it, or when Redis does not answer,
    in the database."""
    limit, seconds = parse_rate(rate)
    window = int(timezone.now().timestamp()) // seconds * seconds
    key = crypto.search_token(f"{scope}:{ident}", purpose="intake-throttle")
    count = _redis_count(key, window, seconds)
    if count is None:
        count = _database_count(key, window)
    return count <= limit


def _redis_count(key: str, window: int, seconds: int) -> int | None:
    redis_client = redis_connection()
    if redis_client is None:
        return None
    name = f"ruta:throttle:{key}:{window}"
    try:
        pipeline = redis_client.pipeline(transaction=False)
        pipeline.incr(name)
        pipeline.expire(name, seconds + 60)  # the name carries its window, so renewing is harmless
        count, _expiry_set = pipeline.execute()
    except Exception:  # an unavailable Redis must not refuse reports: count in the database
        logger.warning("Redis unavailable; counting submissions in the database", exc_info=True)
        return None
    return int(count)


def _database_count(key: str, window: int) -> int:
    """One statement (an upsert), committed on its own in autocommit: no row lock outlives it."""
    start = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(window, tz=UTC))
    table = IntakeThrottle._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608 - fixed table
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, start],
        )
        return int(cursor.fetchone()[0])


def throttle_purge(*, older_than: timedelta = timedelta(days=2)) -> int:
    deleted, _detail = IntakeThrottle.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted


# --- intake --------------------------------------------------------------------------------------


def _event_row(
    alert: Alert,
    *,
    actor: Any,
    kind: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    note: str = "",
    at: datetime | None = None,
) -> AlertEvent:
    """A timeline entry, unsaved (``ruta.core.rows``): ``_event`` writes it alone, intake with the
    alert's other rows."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return rows.new(
        AlertEvent,
        alert_id=alert.pk,
        at=at or timezone.now(),
        actor_id=user.pk if user else None,
        kind=kind,
        old=old or {},
        new=new or {},
        note=note,
    )


_event = rows.written(_event_row)


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


def reporting_institution_of(actor: Any) -> Institution | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    membership = actor.memberships.filter(is_active=True).select_related("institution").first()
    return membership.institution if membership else None


# No savepoint: a failure anywhere inside rolls the caller's whole transaction back anyway, and the
# two extra round trips per submission are measurable at intake rates.
@transaction.atomic(savepoint=False)
def alert_submit(
    *,
    actor: Any,
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
        department_id=data.municipality.department_id if data.municipality else None,
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
            _event_row(
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
    actor: Any,
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


@dataclass
class HotlineCallInput:
    call_started_at: datetime
    duration_seconds: int
    caller_type: str
    caller_phone: str = ""
    topic_note: str = ""


@transaction.atomic
def hotline_call_log(
    *, actor: Any, call: HotlineCallInput, alert_data: AlertInput | None
) -> tuple[HotlineCall, Submitted | None]:
    """Log a call to line 145; with ``alert_data`` the call also becomes an alert (channel hotline)."""
    if call.caller_type not in CallerType.values:
        raise AlertInputError({"caller_type": [("invalid_choice", _("Choose who called."))]})
    submitted = None
    if alert_data is not None:
        submitted = alert_submit(
            actor=actor, data=alert_data, channel=Channel.HOTLINE, received_at=call.call_started_at
        )
    record = HotlineCall.objects.create(
        call_started_at=call.call_started_at,
        duration_seconds=call.duration_seconds,
        caller_type=call.caller_type,
        caller_phone=call.caller_phone.strip(),
        caller_token=phone_token(call.caller_phone),
        alert=submitted.alert if submitted else None,
        topic_note=call.topic_note[:200],
        operator=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record, summary="hotline call logged")
    return record, submitted


def previous_calls(call: HotlineCall) -> list[HotlineCall]:
    """Earlier calls from the same number (keyed hash), newest first."""
    if not call.caller_token:
        return []
    return list(
        HotlineCall.objects.filter(caller_token=call.caller_token, call_started_at__lt=call.call_started_at)
        .exclude(pk=call.pk)
        .select_related("alert")
        .order_by("-call_started_at")[:20]
    )


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


# --- triage --------------------------------------------------------------------------------------


class TriageError(Exception):
    """A triage action that cannot be done now; the message is shown to the user."""


def _locked_for_update(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


def _require_triage(actor: Any, alert: Alert) -> None:
    if not access.visible(actor, AlertPermission.TRIAGE, Alert.objects.filter(pk=alert.pk)).exists():
        raise PermissionError("not allowed to triage this alert")


def _check_lock(actor: Any, alert: Alert, now: datetime) -> None:
    holder = alert.lock_holder(now)
    if holder is not None and alert.locked_by_id != actor.pk:
        raise TriageError(
            _("%(name)s is handling this alert until %(time)s.")
            % {"name": holder, "time": timezone.localtime(alert.locked_until).strftime("%H:%M")}  # type: ignore[arg-type]
        )


def _require_open(alert: Alert) -> None:
    if not alert.is_open:
        raise TriageError(_("This alert already has an outcome."))


def _acknowledge(alert: Alert, *, actor: Any, now: datetime, changed: list[str]) -> None:
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now
        changed.append("acknowledged_at")
        _event(alert, actor=actor, kind=AlertEventKind.ACKNOWLEDGED)
    if alert.status == AlertStatus.NEW:
        _set_status(alert, AlertStatus.ACKNOWLEDGED, actor=actor, now=now, changed=changed)


def _set_status(alert: Alert, status: str, *, actor: Any, now: datetime, changed: list[str]) -> None:
    old = alert.status
    if old == status:
        return
    alert.status = status
    alert.is_open = status in OPEN_STATUSES
    changed += ["status", "is_open"]
    if PUBLIC_STATUS[AlertStatus(old)] != PUBLIC_STATUS[AlertStatus(status)]:
        alert.public_status_changed_at = now
        changed.append("public_status_changed_at")
    _event(alert, actor=actor, kind=AlertEventKind.STATUS_CHANGED, old={"status": old}, new={"status": status})


def _save(alert: Alert, changed: list[str]) -> None:
    alert.save(update_fields=sorted(set(changed) | {"updated_at"}))


@transaction.atomic
def alert_acknowledge(*, actor: Any, alert: Alert) -> Alert:
    _require_triage(actor, alert)
    alert = _locked_for_update(alert)
    _require_open(alert)
    now = timezone.now()
    changed: list[str] = []
    _acknowledge(alert, actor=actor, now=now, changed=changed)
    if changed:
        _save(alert, changed)
        audit_record(actor=actor, action=AuditAction.TRANSITION, obj=alert, summary="alert acknowledged")
    return alert


@transaction.atomic
def alert_take(*, actor: Any, alert: Alert, minutes: int = LOCK_MINUTES) -> Alert:
    """Mark the alert as being handled by ``actor`` (a lock that expires); acknowledges it."""
    _require_triage(actor, alert)
    alert = _locked_for_update(alert)
    _require_open(alert)
    now = timezone.now()
    _check_lock(actor, alert, now)
    changed = ["locked_by", "locked_until"]
    old = {"locked_by": alert.locked_by_id}
    alert.locked_by = actor
    alert.locked_until = now + timedelta(minutes=minutes)
    _event(alert, actor=actor, kind=AlertEventKind.TAKEN, old=old, new={"locked_by": actor.pk})
    _acknowledge(alert, actor=actor, now=now, changed=changed)
    _save(alert, changed)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=alert, summary="alert taken in hand")
    return alert


@transaction.atomic
def alert_release(*, actor: Any, alert: Alert) -> Alert:
    _require_triage(actor, alert)
    alert = _locked_for_update(alert)
    now = timezone.now()
    _check_lock(actor, alert, now)
    if alert.locked_by_id is None:
        return alert
    _event(alert, actor=actor, kind=AlertEventKind.RELEASED, old={"locked_by": alert.locked_by_id})
    alert.locked_by = None
    alert.locked_until = None
    _save(alert, ["locked_by", "locked_until"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=alert, summary="alert released")
    return alert


@transaction.atomic
def alert_assign(
    *, actor: Any, alert: Alert, responder: Any | None = None, institution: Institution | None = None
) -> Alert:
    """Assign to a responder who may triage it, and/or hand it to another institution.

    The immediate-response team works alerts by territory (its responders' scopes), so handing an
    alert to the ERI "as an institution" is refused: it would show the alert to every ERI member
    whatever their territory. Assign an ERI responder instead."""
    _require_triage(actor, alert)
    if responder is None and institution is None:
        raise TriageError(_("Choose a responder or an institution."))
    if (
        responder is not None
        and not access.visible(responder, AlertPermission.TRIAGE, Alert.objects.filter(pk=alert.pk)).exists()
    ):
        raise TriageError(_("%(name)s cannot work alerts in this territory.") % {"name": responder})
    if institution is not None:
        if not institution.is_active:
            raise TriageError(_("This institution is not active."))
        if institution.type == InstitutionType.IMMEDIATE_RESPONSE_TEAM:
            raise TriageError(_("The ERI works alerts by territory: assign one of its responders instead."))
    alert = _locked_for_update(alert)
    _require_open(alert)
    now = timezone.now()
    _check_lock(actor, alert, now)
    old = {"assigned_to": alert.assigned_to_id, "assigned_institution": alert.assigned_institution_id}
    changed: list[str] = []
    if responder is not None:
        alert.assigned_to = responder
        changed.append("assigned_to")
    if institution is not None:
        alert.assigned_institution = institution
        changed.append("assigned_institution")
    new = {"assigned_to": alert.assigned_to_id, "assigned_institution": alert.assigned_institution_id}
    _event(alert, actor=actor, kind=AlertEventKind.ASSIGNED, old=old, new=new)
    _acknowledge(alert, actor=actor, now=now, changed=changed)
    _save(alert, changed)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=alert, summary="alert assigned", changes={"old": old, "new": new}
    )
    if responder is not None and responder.pk != actor.pk:
        from ruta.notifications.services import notify

        notify(
            recipients=[responder],
            kind="alert.assigned",
            subject=_("Alert %(reference)s (%(priority)s) was assigned to you")
            % {"reference": alert.reference, "priority": alert.priority},
            url=f"/alerts/{alert.reference}/",
            dedupe_key=f"alert-assigned:{alert.pk}:{responder.pk}:{now.timestamp():.0f}",
        )
    return alert


def _first_response(alert: Alert, now: datetime, changed: list[str]) -> None:
    if alert.first_response_at is None:
        alert.first_response_at = now
        changed.append("first_response_at")


@transaction.atomic
def alert_add_verification_note(*, actor: Any, alert: Alert, note: str) -> AlertEvent:
    """A verification step (call back, visit, check with the police…): starts verification."""
    _require_triage(actor, alert)
    note = note.strip()
    if not note:
        raise TriageError(_("Write the note."))
    if len(note) > NARRATIVE_MAX_LENGTH:
        raise TriageError(_("The note is too long."))
    alert = _locked_for_update(alert)
    _require_open(alert)
    now = timezone.now()
    _check_lock(actor, alert, now)
    changed: list[str] = []
    _acknowledge(alert, actor=actor, now=now, changed=changed)
    _set_status(alert, AlertStatus.IN_VERIFICATION, actor=actor, now=now, changed=changed)
    _first_response(alert, now, changed)
    event = _event(alert, actor=actor, kind=AlertEventKind.VERIFICATION_NOTE, note=note)
    _save(alert, changed)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=alert, summary="verification note")
    return event


def _record_outcome(alert: Alert, *, actor: Any, status: str, note: str, extra: dict[str, Any]) -> list[str]:
    now = timezone.now()
    changed: list[str] = ["outcome_note", "closed_at", "locked_by", "locked_until"]
    _acknowledge(alert, actor=actor, now=now, changed=changed)
    _first_response(alert, now, changed)
    _set_status(alert, status, actor=actor, now=now, changed=changed)
    alert.outcome_note = note.strip()
    alert.closed_at = now
    alert.locked_by = None
    alert.locked_until = None
    _event(alert, actor=actor, kind=AlertEventKind.OUTCOME, new={"status": status, **extra}, note=note.strip())
    return changed


def _begin_outcome(actor: Any, alert: Alert) -> Alert:
    _require_triage(actor, alert)
    alert = _locked_for_update(alert)
    _require_open(alert)
    _check_lock(actor, alert, timezone.now())
    return alert


CLOSE_STATUSES = (AlertStatus.CLOSED_UNFOUNDED, AlertStatus.CLOSED_INSUFFICIENT)


@transaction.atomic
def alert_close(*, actor: Any, alert: Alert, status: str, reason: str) -> Alert:
    """Outcome c): closed as unfounded or for lack of information, with the reason."""
    if status not in CLOSE_STATUSES:
        raise TriageError(_("Choose unfounded or not enough information."))
    if not reason.strip():
        raise TriageError(_("Give the reason for closing."))
    alert = _begin_outcome(actor, alert)
    changed = _record_outcome(alert, actor=actor, status=status, note=reason, extra={})
    _save(alert, changed)
    audit_record(
        actor=actor, action=AuditAction.TRANSITION, obj=alert, summary=f"alert closed ({status})", reason=reason[:200]
    )
    return alert


@transaction.atomic
def alert_refer(*, actor: Any, alert: Alert, institution: Institution, reason: str, note: str = "") -> Alert:
    """Outcome b): not trafficking, referred to the competent institution from the directory."""
    if reason not in ReferralReason.values:
        raise TriageError(_("Choose why it is referred."))
    if not institution.is_active:
        raise TriageError(_("This institution is not active."))
    alert = _begin_outcome(actor, alert)
    changed = _record_outcome(
        alert,
        actor=actor,
        status=AlertStatus.REFERRED_ELSEWHERE,
        note=note,
        extra={"referred_to": institution.pk, "reason": reason},
    )
    alert.referred_to = institution
    alert.referral_reason = reason
    _save(alert, [*changed, "referred_to", "referral_reason"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=alert,
        summary=f"alert referred to {institution.code} ({reason})",
    )
    return alert


@transaction.atomic
def alert_merge(*, actor: Any, alert: Alert, into: Alert, note: str = "") -> Alert:
    """Outcome d): a duplicate, merged into another alert the actor may triage."""
    if into.pk == alert.pk:
        raise TriageError(_("An alert cannot be merged into itself."))
    _require_triage(actor, into)
    target = Alert.objects.get(pk=into.pk)
    while target.status == AlertStatus.MERGED and target.merged_into_id:
        target = Alert.objects.get(pk=target.merged_into_id)
        if target.pk == alert.pk:
            raise TriageError(_("That alert was merged into this one."))
    alert = _begin_outcome(actor, alert)
    changed = _record_outcome(
        alert, actor=actor, status=AlertStatus.MERGED, note=note, extra={"merged_into": target.reference}
    )
    alert.merged_into = target
    _save(alert, [*changed, "merged_into"])
    _event(target, actor=actor, kind=AlertEventKind.MERGED_IN, new={"duplicate": alert.reference})
    # The surviving alert takes the higher priority and the earlier deadlines of the pair.
    if alert.priority < target.priority:
        locked = _locked_for_update(target)
        old = {"priority": locked.priority}
        locked.priority = alert.priority
        locked.acknowledge_due_at = min(locked.acknowledge_due_at, alert.acknowledge_due_at)
        locked.first_response_due_at = min(locked.first_response_due_at, alert.first_response_due_at)
        locked.save(update_fields=["priority", "acknowledge_due_at", "first_response_due_at", "updated_at"])
        _event(locked, actor=actor, kind=AlertEventKind.STATUS_CHANGED, old=old, new={"priority": locked.priority})
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=alert, summary=f"alert merged into {target.reference}")
    return alert


@transaction.atomic
def alert_open_case(
    *,
    actor: Any,
    alert: Alert,
    alert_persons: Iterable[AlertPerson] | None = None,
    lead_institution: Institution | None = None,
) -> Any:
    """Outcome a): register the presumed victims as persons and open a case for them."""
    from ruta.cases.services import case_open
    from ruta.persons.services import person_register

    if not access.has_perm(actor, CasePermission.CREATE):
        raise TriageError(_("You cannot open cases: assign the alert to a responder who can."))
    institutions = access.institutions_with(actor, CasePermission.CREATE)
    if lead_institution is None:
        lead_institution = Institution.objects.filter(pk__in=institutions).order_by("pk").first()
    if lead_institution is None or lead_institution.pk not in institutions:
        raise TriageError(_("You cannot open cases for this institution."))
    alert = _begin_outcome(actor, alert)
    chosen = list(alert_persons) if alert_persons is not None else list(alert.persons.all())
    chosen = [p for p in chosen if p.alert_id == alert.pk]
    if not chosen:
        raise TriageError(_("Choose at least one presumed victim among the alert's persons."))
    persons = []
    for alert_person in chosen:
        person = person_register(
            actor=actor,
            institution=lead_institution,
            sex=alert_person.sex,
            age_years=alert_person.age,
            age_group=alert_person.age_group,
        )
        AlertPerson.objects.filter(pk=alert_person.pk).update(person=person)
        persons.append(person)
    case = case_open(
        actor=actor,
        lead_institution=lead_institution,
        presumed_victims=persons,
        municipality=alert.municipality,
        origin=alert.reference,
    )
    changed = _record_outcome(
        alert, actor=actor, status=AlertStatus.CASE_OPENED, note="", extra={"case": case.reference}
    )
    alert.case = case
    _save(alert, [*changed, "case"])
    audit_record(
        actor=actor, action=AuditAction.TRANSITION, obj=alert, summary=f"case {case.reference} opened from alert"
    )
    return case


@transaction.atomic
def alert_reveal_contact(*, actor: Any, alert: Alert, reason: str) -> dict[str, str]:
    """Show the reporter's contact and the caller's number to someone who needs it, with a reason."""
    _require_triage(actor, alert)
    if not reason.strip():
        raise TriageError(_("Say why you need the contact."))
    alert = Alert.objects.get(pk=alert.pk)
    call = HotlineCall.objects.filter(alert=alert).first()
    _event(alert, actor=actor, kind=AlertEventKind.CONTACT_REVEALED, note=reason.strip())
    audit_record(
        actor=actor, action=AuditAction.READ, obj=alert, summary="reporter contact revealed", reason=reason[:200]
    )
    return {"reporter_contact": alert.reporter_contact, "caller_phone": call.caller_phone if call else ""}
