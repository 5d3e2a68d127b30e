"""Every change to a referral: typed, keyword-only, atomic, with its audit row, its case-timeline
event and its own ``ReferralEvent`` in the same transaction.

Consent (decided here; see ``ruta/referrals/README.md``): a referral may be sent only when
each referred person has a granted, non-withdrawn ``Consent`` with purpose ``referral`` **for this
referral** (``referral_id``); for a child the consent must name the guardian or authority it was
given with (``given_with``). Otherwise a user holding REFERRAL_CONSENT_OVERRIDE for the sending
institution records an override with a written reason, shown on the referral and audit-logged.

Children (``ruta.cases.protection``): a referral from a case with a child is sent only once the
child-protection authority has been notified, except the referral that *is* that notification (to
a child-protection institution) and an emergency referral to the police (a child in danger is not
left waiting). The child's consent itself still needs a guardian or the authority (above)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.models import Case, CaseMember, CasePerson, ChildProtectionNotification, Consent, ConsentPurpose
from ruta.cases.services import case_event_record
from ruta.core.references import next_reference
from ruta.core.texts import Text
from ruta.deadlines.models import Escalation
from ruta.deadlines.registry import DeadlineKind, Notice
from ruta.institutions.models import Institution, InstitutionService, InstitutionType
from ruta.persons.models import Person
from ruta.persons.permissions import PersonPermission
from ruta.policy import access
from ruta.policy.permissions import PlatformPermission
from ruta.referrals.models import (
    DEFAULT_DEADLINES,
    REFERRAL_REFERENCE_PREFIX,
    Deadline,
    LegalMilestone,
    MilestoneKind,
    Referral,
    ReferralDeadlineRule,
    ReferralEvent,
    ReferralPerson,
    ReferralStatus,
    SharedSection,
    Urgency,
)
from ruta.referrals.permissions import ReferralPermission
from ruta.referrals.selectors import referral_view


class ReferralError(Exception):
    """A refused change, with a stable code, a translated message and the field it concerns."""

    def __init__(self, code: str, message: Any, field: str = "non_field_errors") -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ConsentInput:
    person: Person
    granted: bool
    guardian: Person | None = None
    authority: Institution | None = None


# --- helpers -------------------------------------------------------------------------------------


def deadlines_for(urgency: str) -> tuple[timedelta, timedelta]:
    rule = ReferralDeadlineRule.objects.filter(urgency=urgency).first()
    if rule is not None:
        return rule.accept_within, rule.complete_within
    return DEFAULT_DEADLINES[urgency]


def _event(
    referral: Referral, actor: User, kind: str, old: str, summary: str, data: dict[str, Any] | None = None
) -> None:
    """The three records every step writes: referral history, case timeline, audit trail."""
    _timeline(referral, actor, kind, old, summary, data)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if kind == "created" else AuditAction.TRANSITION,
        obj=referral,
        summary=f"referral {kind}: {summary}",
        changes={"status": [old, referral.status]} if old != referral.status else {},
    )


def _timeline(
    referral: Referral, actor: User | None, kind: str, old: str, summary: str, data: dict[str, Any] | None = None
) -> None:
    """The referral's history and the case timeline (the deadline engine writes its own audit row)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    ReferralEvent.objects.create(
        referral=referral,
        at=timezone.now(),
        actor=user,
        kind=kind,
        from_status=old,
        to_status=referral.status,
        data=data or {},
    )
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=f"referral_{kind}",
        summary=f"{referral.reference}: {summary}",
        data={"referral": referral.reference, "status": referral.status, **(data or {})},
    )


def _locked(referral: Referral) -> Referral:
    """Re-read the referral under a row lock, so two concurrent answers cannot both win."""
    return Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _expect_status(referral: Referral, *allowed: str) -> None:
    if referral.status not in allowed:
        raise ReferralError(
            "invalid_status",
            _("This referral is %(status)s; that step is not possible now.")
            % {"status": referral.get_status_display()},
            "status",
        )


def _required_text(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise ReferralError("required", message, field)
    return value


def _save(referral: Referral, fields: list[str]) -> None:
    referral.version += 1
    referral.save(update_fields=[*fields, "version", "updated_at"])


# --- creating and sending ------------------------------------------------------------------------


def _validate_service(case: Case, service: InstitutionService, persons: Sequence[Person]) -> None:
    if not (service.is_active and service.institution.is_active):
        raise ReferralError("service_inactive", _("This service is not active in the directory."), "service")
    if not service.accepts_referrals:
        raise ReferralError("service_no_referrals", _("This service does not take referrals."), "service")
    covering = InstitutionService.objects.filter(pk=service.pk)
    if case.municipality is not None:
        covering = covering.filter(InstitutionService.covering(case.municipality))
    else:
        covering = covering.filter(national_coverage=True)
    if not covering.exists():
        raise ReferralError(
            "service_not_covering",
            _("This service does not cover the case's municipality. Choose one from the directory that does."),
            "service",
        )
    if any(person.is_child for person in persons) and not service.serves_children:
        raise ReferralError("service_no_children", _("This service does not serve children."), "service")
    if any(not person.is_child for person in persons) and not service.serves_adults:
        raise ReferralError("service_no_adults", _("This service does not serve adults."), "service")


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case: Case,
    persons: Iterable[Person],
    service: InstitutionService,
    urgency: str,
    shared_sections: Iterable[str],
    reason: str = "",
    consents: Iterable[ConsentInput] = (),
    consent_override_reason: str = "",
    send: bool = False,
) -> Referral:
    """Prepare a referral from ``case`` (the actor must be on its team with REFERRAL_SEND); record
    the consents given with it, an optional consent override, and send it at once if ``send``.

    Any refusal raises ``ReferralError`` and nothing is saved."""
    _require(
        access.visible(actor, ReferralPermission.SEND, Case.objects.filter(pk=case.pk)).exists()
        and access.has_perm(actor, ReferralPermission.SEND)
    )
    if case.stage == "closed":
        raise ReferralError("case_closed", _("The case is closed: reopen it before referring."))
    member = CaseMember.objects.filter(case=case, user=actor, is_active=True).select_related("institution").first()
    if member is None:
        raise ReferralError("not_case_team", _("Only a member of the case team can refer from this case."))
    chosen = list({person.pk: person for person in persons}.values())
    if not chosen:
        raise ReferralError("required", _("Choose at least one person to refer."), "persons")
    in_case = set(CasePerson.objects.filter(case=case).values_list("person_id", flat=True))
    if any(person.pk not in in_case for person in chosen):
        raise ReferralError("person_not_in_case", _("Only persons of this case can be referred."), "persons")
    if urgency not in Urgency.values:
        raise ReferralError("invalid_choice", _("Choose a valid urgency."), "urgency")
    sections = [code for code in SharedSection.values if code in set(shared_sections)]
    unknown = set(shared_sections) - set(SharedSection.values)
    if unknown or not sections:
        raise ReferralError(
            "invalid_sections", _("Choose at least one section to share, from the list."), "shared_sections"
        )
    if SharedSection.IDENTITY in sections:
        reachable = access.visible(
            actor, PersonPermission.VIEW_IDENTITY, Person.objects.filter(pk__in=[p.pk for p in chosen])
        ).count()
        if reachable != len(chosen):
            raise ReferralError(
                "identity_not_yours", _("You cannot share identities you may not see yourself."), "shared_sections"
            )
    _validate_service(case, service, chosen)
    if service.institution_id == member.institution_id:
        raise ReferralError("same_institution", _("A referral goes to another institution than your own."), "service")
    referral = Referral.objects.create(
        reference=next_reference(REFERRAL_REFERENCE_PREFIX),
        case=case,
        from_institution=member.institution,
        to_institution=service.institution,
        service=service,
        urgency=urgency,
        reason=reason.strip(),
        shared_sections=sections,
        status=ReferralStatus.DRAFT,
        created_by=actor,
    )
    ReferralPerson.objects.bulk_create(ReferralPerson(referral=referral, person=person) for person in chosen)
    _event(referral, actor, "created", "", f"to {service.institution.code} ({service.category.code})")
    for consent in consents:
        referral_consent_record(
            actor=actor,
            referral=referral,
            person=consent.person,
            granted=consent.granted,
            guardian=consent.guardian,
            authority=consent.authority,
        )
    if consent_override_reason.strip():
        referral_consent_override(actor=actor, referral=referral, reason=consent_override_reason)
    if send:
        return referral_send(actor=actor, referral=referral)
    referral.refresh_from_db()
    return referral


@transaction.atomic
def referral_consent_record(
    *,
    actor: User,
    referral: Referral,
    person: Person,
    granted: bool,
    guardian: Person | None = None,
    authority: Institution | None = None,
) -> Consent:
    """Record a person's consent (or refusal) to this referral through the case's consent service.
    A child's consent is taken with the guardian or the child-protection authority, never alone."""
    from ruta.cases.protection import consent_record
    from ruta.cases.services import CaseError

    referral = _locked(referral)
    _require(referral_view(actor, referral).is_sender)
    _expect_status(referral, ReferralStatus.DRAFT)
    if not ReferralPerson.objects.filter(referral=referral, person=person).exists():
        raise ReferralError("person_not_referred", _("This person is not part of the referral."), "person")
    case = Case.objects.get(pk=referral.case_id)
    try:
        consent = consent_record(
            actor=actor,
            case=case,
            version=case.version,
            person=person,
            purpose=ConsentPurpose.REFERRAL,
            granted=granted,
            referral_id=referral.pk,
            guardian=guardian,
            authority=authority,
        )
    except CaseError as error:
        field = {"guardian": "guardian", "authority": "authority"}.get(error.field or "", "consent")
        raise ReferralError(error.code, error.message, field) from error
    _event(
        referral,
        actor,
        "consent_recorded",
        referral.status,
        f"{person.reference}: {'granted' if granted else 'refused'}",
        {"person": person.reference, "granted": granted},
    )
    return consent


def consent_missing(referral: Referral) -> list[Person]:
    """The referred persons without a valid consent for this referral (latest record counts)."""
    persons = [link.person for link in ReferralPerson.objects.filter(referral=referral).select_related("person")]
    latest: dict[int, Consent] = {}
    for record in Consent.objects.filter(
        case_id=referral.case_id, purpose=ConsentPurpose.REFERRAL, referral_id=referral.pk
    ).order_by("recorded_at", "id"):
        latest[record.person_id] = record
    missing = []
    for person in persons:
        found = latest.get(person.pk)
        valid = (
            found is not None
            and found.granted
            and found.withdrawn_at is None
            and (not person.is_child or _given_with_someone(found))
        )
        if not valid:
            missing.append(person)
    return missing


def _given_with_someone(consent: Consent) -> bool:
    """A child's consent counts only with a guardian or the child-protection authority."""
    return bool(
        getattr(consent, "given_with_person_id", None)
        or getattr(consent, "given_with_institution_id", None)
        or consent.given_with.strip()
    )


@transaction.atomic
def referral_consent_override(*, actor: User, referral: Referral, reason: str) -> Referral:
    """Allow sending without (valid) consent, for a written reason; needs REFERRAL_CONSENT_OVERRIDE
    for the sending institution."""
    referral = _locked(referral)
    view = referral_view(actor, referral)
    _require(view.sender_side)
    _expect_status(referral, ReferralStatus.DRAFT)
    if not view.can_override:
        raise ReferralError(
            "override_not_allowed",
            _("You may not override consent; ask a supervisor of the sending institution."),
            "consent_override_reason",
        )
    referral.consent_override_reason = _required_text(
        reason, "consent_override_reason", _("Give the reason for sending without consent.")
    )
    referral.consent_override_by = actor
    referral.consent_override_at = timezone.now()
    _save(referral, ["consent_override_reason", "consent_override_by", "consent_override_at"])
    _event(referral, actor, "consent_overridden", referral.status, "consent override recorded")
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        summary="referral consent override",
        reason=referral.consent_override_reason,
    )
    return referral


@transaction.atomic
def referral_send(*, actor: User, referral: Referral) -> Referral:
    """Send a draft: consent (or an override) is checked, deadlines are set, the recipients are told."""
    referral = _locked(referral)
    _require(referral_view(actor, referral).is_sender)
    _expect_status(referral, ReferralStatus.DRAFT)
    _check_child_protection(referral)
    if not referral.consent_override_at:
        missing = consent_missing(referral)
        if missing:
            raise ReferralError(
                "consent_missing",
                _("No valid referral consent for: %(persons)s. Record it, or a supervisor records an override.")
                % {"persons": ", ".join(person.reference for person in missing)},
                "consent",
            )
    service = InstitutionService.objects.select_related("institution").get(pk=referral.service_id)
    persons = [link.person for link in ReferralPerson.objects.filter(referral=referral).select_related("person")]
    _validate_service(referral.case, service, persons)
    now = timezone.now()
    accept_within, complete_within = deadlines_for(referral.urgency)
    referral.status = ReferralStatus.SENT
    referral.sent_by = actor
    referral.sent_at = now
    referral.accept_due_at = now + accept_within
    referral.complete_due_at = now + complete_within
    _save(referral, ["status", "sent_by", "sent_at", "accept_due_at", "complete_due_at"])
    _event(referral, actor, "sent", ReferralStatus.DRAFT, f"urgency {referral.urgency}")
    _notify_recipients(referral)
    return referral


def child_protection_exempt(referral: Referral) -> bool:
    """The referrals a case with a child may send before the authority was notified."""
    kind = Institution.objects.filter(pk=referral.to_institution_id).values_list("type", flat=True).first()
    if kind == InstitutionType.CHILD_PROTECTION:
        return True  # this referral is how the authority is notified
    return kind == InstitutionType.POLICE and referral.urgency == Urgency.EMERGENCY


def _check_child_protection(referral: Referral) -> None:
    from ruta.cases.protection import child_victims

    case = Case.objects.get(pk=referral.case_id)
    if not child_victims(case) or child_protection_exempt(referral):
        return
    if ChildProtectionNotification.objects.filter(case=case).exists():
        return
    raise ReferralError(
        "child_protection_not_notified",
        _(
            "This case involves a child: notify the child-protection authority (SENAF) and record it on the case "
            "before sending this referral. Only a referral to the child-protection authority itself, or an "
            "emergency referral to the police, may go first."
        ),
        "service",
    )


def _notify_recipients(referral: Referral) -> None:
    from ruta.notifications.services import notify

    notify(
        recipients=_receivers(referral),
        kind="referral_received",
        subject=Text(gettext_noop("New referral %(reference)s"), {"reference": referral.reference}),
        body=Text(
            gettext_noop("A referral was sent to your institution (urgency: %(urgency)s)."),
            {"urgency": Urgency(referral.urgency).label},
        ),
        url=f"/referrals/{referral.reference}/",
        dedupe_key=f"referral:{referral.pk}:received",
    )


def _receivers(referral: Referral) -> list[Any]:
    """Who receives referrals at the receiving institution (the sender's own holders of RECEIVE also
    reach the referral, through the sending institution: they are not told)."""
    return access.holders(ReferralPermission.RECEIVE, referral, institution_ids=[referral.to_institution_id])


# --- answering -----------------------------------------------------------------------------------


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, note: str = "") -> Referral:
    referral = _locked(referral)
    _require(referral_view(actor, referral).receiver_side)
    _expect_status(referral, ReferralStatus.SENT)
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_by = actor
    referral.answered_at = timezone.now()
    _save(referral, ["status", "answered_by", "answered_at"])
    _event(referral, actor, "accepted", ReferralStatus.SENT, "accepted")
    _notify_sender(referral, gettext_noop("Referral %(reference)s was accepted"))
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    referral = _locked(referral)
    _require(referral_view(actor, referral).receiver_side)
    _expect_status(referral, ReferralStatus.SENT)
    referral.decline_reason = _required_text(reason, "reason", _("Give the reason for declining."))
    referral.status = ReferralStatus.DECLINED
    referral.answered_by = actor
    referral.answered_at = timezone.now()
    _save(referral, ["status", "answered_by", "answered_at", "decline_reason"])
    _event(referral, actor, "declined", ReferralStatus.SENT, "declined")
    _notify_sender(referral, gettext_noop("Referral %(reference)s was declined"))
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, outcome: str) -> Referral:
    referral = _locked(referral)
    _require(referral_view(actor, referral).receiver_side)
    _expect_status(referral, ReferralStatus.ACCEPTED)
    referral.outcome = _required_text(outcome, "outcome", _("Describe the outcome."))
    referral.status = ReferralStatus.COMPLETED
    referral.completed_by = actor
    referral.completed_at = timezone.now()
    _save(referral, ["status", "completed_by", "completed_at", "outcome"])
    _event(referral, actor, "completed", ReferralStatus.ACCEPTED, "completed")
    _notify_sender(referral, gettext_noop("Referral %(reference)s was completed"))
    return referral


@transaction.atomic
def referral_revoke(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The sender withdraws the referral before it is completed (a reason is required)."""
    referral = _locked(referral)
    _require(referral_view(actor, referral).is_sender)
    _expect_status(referral, ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED)
    old = referral.status
    referral.revoke_reason = _required_text(reason, "reason", _("Give the reason for revoking."))
    referral.status = ReferralStatus.REVOKED
    referral.revoked_by = actor
    referral.revoked_at = timezone.now()
    _save(referral, ["status", "revoked_by", "revoked_at", "revoke_reason"])
    _event(referral, actor, "revoked", old, "revoked")
    if old != ReferralStatus.DRAFT:
        from ruta.notifications.services import notify

        notify(
            recipients=_receivers(referral),
            kind="referral_revoked",
            subject=Text(
                gettext_noop("Referral %(reference)s was revoked by the sender"), {"reference": referral.reference}
            ),
            url=f"/referrals/{referral.reference}/",
            dedupe_key=f"referral:{referral.pk}:revoked",
        )
    return referral


def _notify_sender(referral: Referral, subject: str) -> None:
    """``subject`` is a msgid (``gettext_noop``) with a ``%(reference)s`` placeholder."""
    from ruta.notifications.services import notify

    recipients = [user for user in (referral.sent_by, referral.created_by) if user is not None]
    notify(
        recipients=recipients,
        kind=f"referral_{referral.status}",
        subject=Text(subject, {"reference": referral.reference}),
        url=f"/referrals/{referral.reference}/",
        dedupe_key=f"referral:{referral.pk}:{referral.status}",
    )


# --- legal process -------------------------------------------------------------------------------


@transaction.atomic
def legal_milestone_record(
    *, actor: User, referral: Referral, kind: str, occurred_on: date, notes: str = ""
) -> LegalMilestone:
    """A police or prosecutor liaison records a step of the criminal process on a case referred to
    their institution (the referral accepted or completed)."""
    referral = _locked(referral)
    _require(referral_view(actor, referral).can_record_milestone)
    if kind not in MilestoneKind.values:
        raise ReferralError("invalid_choice", _("Choose a valid milestone."), "kind")
    if occurred_on > timezone.localdate():
        raise ReferralError("future_date", _("The date cannot be in the future."), "occurred_on")
    milestone = LegalMilestone.objects.create(
        case=referral.case,
        referral=referral,
        kind=kind,
        occurred_on=occurred_on,
        institution=referral.to_institution,
        notes=notes.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    _event(
        referral, actor, "legal_milestone", referral.status, kind, {"milestone": kind, "on": occurred_on.isoformat()}
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=milestone, reference=referral.case.reference, summary=kind)
    return milestone


# --- deadlines -----------------------------------------------------------------------------------


def _deadline_notice(deadline: str, referral: Referral, due_at: datetime) -> Notice:
    name = Text(gettext_noop("answer") if deadline == Deadline.ACCEPTANCE else gettext_noop("completion"))
    return Notice(
        subject=Text(
            gettext_noop("Referral %(reference)s: %(deadline)s deadline missed"),
            {"reference": referral.reference, "deadline": name.as_json()},
        ),
        body=Text(
            gettext_noop("The %(deadline)s deadline of this referral passed on %(due)s."),
            {"deadline": name.as_json(), "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")},
        ),
    )


def _deadline_timeline(referral: Referral, escalation: Escalation) -> None:
    deadline = escalation.deadline
    _timeline(referral, None, "escalated", referral.status, f"{deadline} deadline missed", {"deadline": deadline})


def _deadline(deadline: Deadline, due_field: str, pending: Q) -> DeadlineKind:
    """Both deadlines count from sending; a missed one goes to the holders of ESCALATION_RECEIVE at
    the sending institution whose scope reaches the case (its supervisors, by territory if they have one)."""
    return DeadlineKind(
        model=Referral,
        code=deadline.value,
        label=deadline.label,
        due_field=due_field,
        pending=pending,
        permission=PlatformPermission.ESCALATION_RECEIVE,
        recipients_reach=lambda referral: referral.case,
        recipients_institutions=lambda referral: [referral.from_institution_id],
        notification_kind="referral_escalation",
        notice=lambda referral, due_at: _deadline_notice(deadline, referral, due_at),
        url=lambda referral: f"/referrals/{referral.reference}/",
        on_escalated=_deadline_timeline,
    )


ACCEPTANCE_DEADLINE = _deadline(Deadline.ACCEPTANCE, "accept_due_at", Q(status=ReferralStatus.SENT))
COMPLETION_DEADLINE = _deadline(
    Deadline.COMPLETION, "complete_due_at", Q(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED])
)


@transaction.atomic
def deadline_rule_save(*, actor: User, rule: ReferralDeadlineRule) -> ReferralDeadlineRule:
    """Change the deadlines of an urgency (administrators, through the Django admin)."""
    _require(access.has_perm(actor, PlatformPermission.CONFIG_MANAGE))
    if rule.accept_within <= timedelta() or rule.complete_within <= timedelta():
        raise ReferralError("invalid_duration", _("Deadlines must be positive."), "accept_within")
    rule.save()
    audit_record(
        actor=actor,
        action=AuditAction.CONFIG,
        obj=rule,
        summary=f"referral deadlines {rule.urgency}: {rule.accept_within} / {rule.complete_within}",
    )
    return rule
