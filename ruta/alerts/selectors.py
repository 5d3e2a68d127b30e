"""Reads of alerts that depend on who asks. Access rules (``ruta.policy.access``) for alerts:

- own: alerts the user created or is assigned to;
- institution: alerts assigned to the institution;
- territory: alerts in the department / municipality (no territory = the whole country).

The narrative and the reporter's contact are free text about people: only those who may triage the
alert (and its author) read them, and each read is audit-logged by the view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ruta.accounts.models import User
from ruta.alerts.models import Alert, AlertPerson, AlertStatus, AlertToken
from ruta.alerts.permissions import AlertPermission
from ruta.persons.models import AgeGroup
from ruta.policy import access
from ruta.policy.permissions import Permission

access.register(
    Alert,
    access.ScopeRules(
        own=lambda user: Q(created_by=user) | Q(assigned_to=user),
        institution=lambda ids: Q(assigned_institution_id__in=ids),
        territory=lambda departments, municipalities: (
            Q(department_id__in=departments) | Q(municipality_id__in=municipalities)
        ),
    ),
)

QUEUE_RELATED = ("municipality", "department", "assigned_to", "assigned_institution", "locked_by")
# Not shown by the queue (page or API list): the free text about people is neither read nor decrypted
# for a list (need to know, and AES-GCM per value per row), nor the JSON explanations.
QUEUE_DEFERRED = ("narrative", "reporter_contact", "outcome_note", "priority_rationale", "palermo_reading")


@dataclass(frozen=True)
class QueueFilters:
    priority: str = ""
    department: str = ""  # department code
    status: str = "open"  # "open", "all" or one AlertStatus
    overdue: bool = False
    mine: bool = False


def overdue_q(now: Any) -> Q:
    return Q(is_open=True) & (
        Q(acknowledged_at__isnull=True, acknowledge_due_at__lt=now)
        | Q(first_response_at__isnull=True, first_response_due_at__lt=now)
    )


def alert_queue(*, actor: User, filters: QueueFilters) -> QuerySet[Alert]:
    """The alerts ``actor`` may see, filtered, most urgent first (priority, then acknowledge deadline)."""
    rows = access.visible(actor, AlertPermission.VIEW, Alert.objects.all())
    if filters.status == "open":
        rows = rows.filter(is_open=True)
    elif filters.status in AlertStatus.values:
        rows = rows.filter(status=filters.status)
    if filters.priority:
        rows = rows.filter(priority=filters.priority)
    if filters.department:
        rows = rows.filter(department__code=filters.department)
    if filters.overdue:
        rows = rows.filter(overdue_q(timezone.now()))
    if filters.mine:
        rows = rows.filter(Q(assigned_to=actor) | Q(locked_by=actor, locked_until__gt=timezone.now()))
    return rows.select_related(*QUEUE_RELATED).defer(*QUEUE_DEFERRED).order_by("priority", "acknowledge_due_at", "id")


def alert_get(*, actor: User, reference: str, permission: Permission = AlertPermission.VIEW) -> Alert:
    """One alert by reference, or 404 whether it is missing or out of the actor's reach."""
    return access.get_visible_or_404(
        actor,
        permission,
        Alert.objects.select_related(*QUEUE_RELATED, "referred_to", "merged_into", "case"),
        reference=reference,
    )


def can_triage(actor: User, alert: Alert) -> bool:
    return access.visible(actor, AlertPermission.TRIAGE, Alert.objects.filter(pk=alert.pk)).exists()


def can_read_narrative(actor: User, alert: Alert) -> bool:
    """The author and those who may triage the alert read its narrative and contact."""
    if alert.created_by_id is not None and alert.created_by_id == getattr(actor, "pk", None):
        return True
    return can_triage(actor, alert)


DUPLICATE_WINDOW_DAYS = 14
DUPLICATE_CANDIDATES = 50
DUPLICATE_THRESHOLD = 0.35
# From here a candidate is likely the same situation: the merge panel opens by itself.
DUPLICATE_HIGH = 0.7


@dataclass(frozen=True)
class DuplicateSuggestion:
    alert: Alert
    score: float
    # Why it matched, for the person deciding: the signals both alerts carry, and how alike the
    # persons described (age group and sex) and the narratives' words are, each from 0 to 1.
    shared_signals: tuple[str, ...] = ()
    persons: float = 0.0
    narrative: float = 0.0

    @property
    def is_high(self) -> bool:
        return self.score >= DUPLICATE_HIGH


def _jaccard(left: set[Any], right: set[Any]) -> float:
    if not left and not right:
        return 0.0
    return len(left & right) / len(left | right)


def _persons_similarity(left: list[tuple[str, str]], right: list[tuple[str, str]]) -> float:
    if not left or not right:
        return 0.0
    remaining = list(right)
    matched = 0
    for person in left:
        if person in remaining:
            remaining.remove(person)
            matched += 1
    return matched / max(len(left), len(right))


def _person_key(age: int | None, age_group: str, sex: str) -> tuple[str, str]:
    group = ("child" if age < 18 else "adult") if age is not None else age_group
    return (group, sex)


def age_groups(persons: Iterable[AlertPerson]) -> list[tuple[str, str]]:
    """The age groups among an alert's persons as (value, label), children first: a child changes
    how fast and by whom an alert is handled. A stated age wins over the group the reporter ticked."""
    found = {_person_key(person.age, person.age_group, person.sex)[0] for person in persons}
    return [(group.value, str(group.label)) for group in AgeGroup if group in found]


def suggested_duplicates(*, actor: User, alert: Alert, limit: int = 5) -> list[DuplicateSuggestion]:
    """Alerts in the same municipality within the window with similar signals, persons and narrative
    tokens (keyed hashes: narratives are never decrypted for this). Only alerts the actor may triage."""
    if alert.municipality_id is None:
        return []
    window = timedelta(days=DUPLICATE_WINDOW_DAYS)
    candidates = list(
        access.visible(
            actor,
            AlertPermission.TRIAGE,
            Alert.objects.filter(
                municipality_id=alert.municipality_id,
                received_at__gte=alert.received_at - window,
                received_at__lte=alert.received_at + window,
            )
            .exclude(pk=alert.pk)
            .exclude(status=AlertStatus.MERGED),
        )
        .order_by("-received_at")
        .only("pk", "reference", "signal_codes", "priority", "status", "received_at")[:DUPLICATE_CANDIDATES]
    )
    if not candidates:
        return []
    ids = [candidate.pk for candidate in candidates]
    my_tokens = set(AlertToken.objects.filter(alert=alert).values_list("token", flat=True))
    shared = dict(
        AlertToken.objects.filter(alert_id__in=ids, token__in=my_tokens)
        .values("alert_id")
        .annotate(n=Count("id"))
        .values_list("alert_id", "n")
    )
    sizes = dict(
        AlertToken.objects.filter(alert_id__in=ids)
        .values("alert_id")
        .annotate(n=Count("id"))
        .values_list("alert_id", "n")
    )
    persons: dict[int, list[tuple[str, str]]] = {}
    for alert_id, age, age_group, sex in AlertPerson.objects.filter(alert_id__in=[*ids, alert.pk]).values_list(
        "alert_id", "age", "age_group", "sex"
    ):
        persons.setdefault(alert_id, []).append(_person_key(age, age_group, sex))
    my_signals = set(alert.signal_codes)
    suggestions = []
    for candidate in candidates:
        common = shared.get(candidate.pk, 0)
        union = len(my_tokens) + sizes.get(candidate.pk, 0) - common
        tokens = common / union if union else 0.0
        alike = _persons_similarity(persons.get(alert.pk, []), persons.get(candidate.pk, []))
        score = 0.4 * _jaccard(my_signals, set(candidate.signal_codes)) + 0.3 * alike + 0.3 * tokens
        if score >= DUPLICATE_THRESHOLD:
            shared_signals = tuple(code for code in alert.signal_codes if code in set(candidate.signal_codes))
            suggestions.append(
                DuplicateSuggestion(candidate, round(score, 2), shared_signals, round(alike, 2), round(tokens, 2))
            )
    suggestions.sort(key=lambda s: -s.score)
    return suggestions[:limit]
