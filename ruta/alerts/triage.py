"""Triage of an alert: acknowledging, taking in hand, assigning, verifying, and the four outcomes
(case opened, referred elsewhere, closed, merged). Each writes the alert's timeline event and the
audit row in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ruta.accounts.models import User
from ruta.alerts.events import event
from ruta.alerts.models import (
    NARRATIVE_MAX_LENGTH,
    OPEN_STATUSES,
    PUBLIC_STATUS,
    Alert,
    AlertEvent,
    AlertEventKind,
    AlertPerson,
    AlertStatus,
    ReferralReason,
)
from ruta.alerts.permissions import AlertPermission
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.permissions import CasePermission
from ruta.core.texts import Text
from ruta.institutions.models import Institution, InstitutionType
from ruta.policy import access

LOCK_MINUTES = 30


class TriageError(Exception):
    """A triage action that cannot be done now; the message is shown to the user."""


def _locked_for_update(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


def require_triage(actor: User, alert: Alert) -> None:
    if not access.visible(actor, AlertPermission.TRIAGE, Alert.objects.filter(pk=alert.pk)).exists():
        raise PermissionError("not allowed to triage this alert")


def _check_lock(actor: User, alert: Alert, now: datetime) -> None:
    holder = alert.lock_holder(now)
    if holder is not None and alert.locked_by_id != actor.pk:
        raise TriageError(
            _("%(name)s is handling this alert until %(time)s.")
            % {"name": holder, "time": timezone.localtime(alert.locked_until).strftime("%H:%M")}  # type: ignore[arg-type]
        )


def _require_open(alert: Alert) -> None:
    if not alert.is_open:
        raise TriageError(_("This alert already has an outcome."))


def _acknowledge(alert: Alert, *, actor: User, now: datetime, changed: list[str]) -> None:
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now
        changed.append("acknowledged_at")
        event(alert, actor=actor, kind=AlertEventKind.ACKNOWLEDGED)
    if alert.status == AlertStatus.NEW:
        _set_status(alert, AlertStatus.ACKNOWLEDGED, actor=actor, now=now, changed=changed)


def _set_status(alert: Alert, status: str, *, actor: User, now: datetime, changed: list[str]) -> None:
    old = alert.status
    if old == status:
        return
    alert.status = status
    alert.is_open = status in OPEN_STATUSES
    changed += ["status", "is_open"]
    if PUBLIC_STATUS[AlertStatus(old)] != PUBLIC_STATUS[AlertStatus(status)]:
        alert.public_status_changed_at = now
        changed.append("public_status_changed_at")
    event(alert, actor=actor, kind=AlertEventKind.STATUS_CHANGED, old={"status": old}, new={"status": status})


def _save(alert: Alert, changed: list[str]) -> None:
    alert.save(update_fields=sorted(set(changed) | {"updated_at"}))


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    require_triage(actor, alert)
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
def alert_take(*, actor: User, alert: Alert, minutes: int = LOCK_MINUTES) -> Alert:
    """Mark the alert as being handled by ``actor`` (a lock that expires); acknowledges it."""
    require_triage(actor, alert)
    alert = _locked_for_update(alert)
    _require_open(alert)
    now = timezone.now()
    _check_lock(actor, alert, now)
    changed = ["locked_by", "locked_until"]
    old = {"locked_by": alert.locked_by_id}
    alert.locked_by = actor
    alert.locked_until = now + timedelta(minutes=minutes)
    event(alert, actor=actor, kind=AlertEventKind.TAKEN, old=old, new={"locked_by": actor.pk})
    _acknowledge(alert, actor=actor, now=now, changed=changed)
    _save(alert, changed)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=alert, summary="alert taken in hand")
    return alert


@transaction.atomic
def alert_release(*, actor: User, alert: Alert) -> Alert:
    require_triage(actor, alert)
    alert = _locked_for_update(alert)
    now = timezone.now()
    _check_lock(actor, alert, now)
    if alert.locked_by_id is None:
        return alert
    event(alert, actor=actor, kind=AlertEventKind.RELEASED, old={"locked_by": alert.locked_by_id})
    alert.locked_by = None
    alert.locked_until = None
    _save(alert, ["locked_by", "locked_until"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=alert, summary="alert released")
    return alert


@transaction.atomic
def alert_assign(
    *, actor: User, alert: Alert, responder: Any | None = None, institution: Institution | None = None
) -> Alert:
    """Assign to a responder who may triage it, and/or hand it to another institution.

    The immediate-response team works alerts by territory (its responders' scopes), so handing an
    alert to the ERI "as an institution" is refused: it would show the alert to every ERI member
    whatever their territory. Assign an ERI responder instead."""
    require_triage(actor, alert)
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
    event(alert, actor=actor, kind=AlertEventKind.ASSIGNED, old=old, new=new)
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
            subject=Text(
                gettext_noop("Alert %(reference)s (%(priority)s) was assigned to you"),
                {"reference": alert.reference, "priority": alert.priority},
            ),
            url=f"/alerts/{alert.reference}/",
            dedupe_key=f"alert-assigned:{alert.pk}:{responder.pk}:{now.timestamp():.0f}",
        )
    return alert


def _first_response(alert: Alert, now: datetime, changed: list[str]) -> None:
    if alert.first_response_at is None:
        alert.first_response_at = now
        changed.append("first_response_at")


@transaction.atomic
def alert_add_verification_note(*, actor: User, alert: Alert, note: str) -> AlertEvent:
    """A verification step (call back, visit, check with the police…): starts verification."""
    require_triage(actor, alert)
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
    note_event = event(alert, actor=actor, kind=AlertEventKind.VERIFICATION_NOTE, note=note)
    _save(alert, changed)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=alert, summary="verification note")
    return note_event


def _record_outcome(alert: Alert, *, actor: User, status: str, note: str, extra: dict[str, Any]) -> list[str]:
    now = timezone.now()
    changed: list[str] = ["outcome_note", "closed_at", "locked_by", "locked_until"]
    _acknowledge(alert, actor=actor, now=now, changed=changed)
    _first_response(alert, now, changed)
    _set_status(alert, status, actor=actor, now=now, changed=changed)
    alert.outcome_note = note.strip()
    alert.closed_at = now
    alert.locked_by = None
    alert.locked_until = None
    event(alert, actor=actor, kind=AlertEventKind.OUTCOME, new={"status": status, **extra}, note=note.strip())
    return changed


def _begin_outcome(actor: User, alert: Alert) -> Alert:
    require_triage(actor, alert)
    alert = _locked_for_update(alert)
    _require_open(alert)
    _check_lock(actor, alert, timezone.now())
    return alert


CLOSE_STATUSES = (AlertStatus.CLOSED_UNFOUNDED, AlertStatus.CLOSED_INSUFFICIENT)


@transaction.atomic
def alert_close(*, actor: User, alert: Alert, status: str, reason: str) -> Alert:
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
def alert_refer(*, actor: User, alert: Alert, institution: Institution, reason: str, note: str = "") -> Alert:
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
def alert_merge(*, actor: User, alert: Alert, into: Alert, note: str = "") -> Alert:
    """Outcome d): a duplicate, merged into another alert the actor may triage."""
    if into.pk == alert.pk:
        raise TriageError(_("An alert cannot be merged into itself."))
    require_triage(actor, into)
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
    event(target, actor=actor, kind=AlertEventKind.MERGED_IN, new={"duplicate": alert.reference})
    # The surviving alert takes the higher priority and the earlier deadlines of the pair.
    if alert.priority < target.priority:
        locked = _locked_for_update(target)
        old = {"priority": locked.priority}
        locked.priority = alert.priority
        locked.acknowledge_due_at = min(locked.acknowledge_due_at, alert.acknowledge_due_at)
        locked.first_response_due_at = min(locked.first_response_due_at, alert.first_response_due_at)
        locked.save(update_fields=["priority", "acknowledge_due_at", "first_response_due_at", "updated_at"])
        event(locked, actor=actor, kind=AlertEventKind.STATUS_CHANGED, old=old, new={"priority": locked.priority})
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=alert, summary=f"alert merged into {target.reference}")
    return alert


@transaction.atomic
def alert_open_case(
    *,
    actor: User,
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
