"""Formal screening of an alert's persons, and what a screening changes in triage.

A screening that records commercial sexual exploitation of a child (DESIGN §3, ``cse_child``) makes
the alert P1 in the same transaction: the responder who learns it during verification must not
wait for someone to re-triage by hand."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ruta.accounts.models import User
from ruta.alerts.configuration import intake_configuration
from ruta.alerts.events import event
from ruta.alerts.models import Alert, AlertEventKind, AlertPerson
from ruta.alerts.priority import CSE_CHILD_FACT, CSE_CHILD_PRIORITY, CSE_CHILD_RULE
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.screening.models import ScreeningRecord
from ruta.screening.services import screening_record_create

SCREENING_SUBJECT = "alerts.alertperson"


@transaction.atomic
def alert_person_screen(
    *,
    actor: User,
    alert: Alert,
    person: AlertPerson,
    age: int | None,
    presumed_child: bool | None,
    exploitation: str,
    indicator_codes: list[str] | tuple[str, ...],
    cse_child: bool = False,
) -> ScreeningRecord:
    """Record a formal screening of ``person`` (the caller checked the actor may screen this alert);
    raises ``ruta.screening.errors.ScreeningError`` on bad input and then saves nothing."""
    if person.alert_id != alert.pk:
        raise ValueError("the person is not one of this alert's")
    record = screening_record_create(
        actor=actor,
        subject_type=SCREENING_SUBJECT,
        subject_id=person.pk,
        age=age,
        presumed_child=presumed_child,
        exploitation=exploitation,
        indicator_codes=indicator_codes,
        cse_child=cse_child,
    )
    if record.result.get("cse_child") and alert.is_open:
        _raise_for_cse_child(actor=actor, alert=alert, record=record, now=timezone.now())
    return record


def _raise_for_cse_child(*, actor: User, alert: Alert, record: ScreeningRecord, now: datetime) -> None:
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    rationale = dict(locked.priority_rationale or {})
    facts = list(rationale.get("facts") or [])
    if locked.priority == CSE_CHILD_PRIORITY and CSE_CHILD_FACT in facts:
        return
    old = {"priority": locked.priority}
    if CSE_CHILD_FACT not in facts:
        facts.insert(0, CSE_CHILD_FACT)
    rationale["facts"] = facts
    changed = ["priority_rationale"]
    if locked.priority != CSE_CHILD_PRIORITY:
        rationale["rule"] = CSE_CHILD_RULE
        locked.priority = CSE_CHILD_PRIORITY
        # The P1 windows run from now, when the fact became known; a deadline already nearer stays.
        acknowledge, first_response = intake_configuration.get().deadlines_for(CSE_CHILD_PRIORITY, now)
        locked.acknowledge_due_at = min(locked.acknowledge_due_at, acknowledge)
        locked.first_response_due_at = min(locked.first_response_due_at, first_response)
        changed += ["priority", "acknowledge_due_at", "first_response_due_at"]
    locked.priority_rationale = rationale
    locked.save(update_fields=[*changed, "updated_at"])
    event(
        locked,
        actor=actor,
        kind=AlertEventKind.STATUS_CHANGED,
        old=old,
        new={"priority": locked.priority, "reason": CSE_CHILD_FACT, "screening": record.pk},
    )
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=locked,
        summary=f"alert priority {old['priority']} -> {locked.priority}: screening {record.pk} recorded cse_child",
        changes={"old": old, "new": {"priority": locked.priority}, "screening": record.pk},
    )
