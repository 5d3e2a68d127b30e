"""Every change to a referral: typed, keyword-only, atomic, with its audit row, its case-timeline
event and its own ``ReferralEvent`` in the same transaction.

A referral is sent only with the consent of each referred person or an override (``consent``); its
deadlines are set from its urgency (``deadlines``).

Children (``ruta.cases.protection``): a referral from a case with a child is sent only once the
child-protection authority has been notified, except the referral that *is* that notification (to
a child-protection institution) and an emergency referral to the police (a child in danger is not
left waiting). The child's consent itself still needs a guardian or the authority (``consent``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.models import Case, CaseMember, CasePerson, ChildProtectionNotification
from ruta.core.references import next_reference
from ruta.core.texts import Text
from ruta.institutions.models import Institution, InstitutionService, InstitutionType
from ruta.persons.models import Person
from ruta.persons.permissions import PersonPermission
from ruta.policy import access
from ruta.referrals.consent import ConsentInput, consent_missing, referral_consent_override, referral_consent_record
from ruta.referrals.deadlines import deadlines_for
from ruta.referrals.models import (
    REFERRAL_REFERENCE_PREFIX,
    LegalMilestone,
    MilestoneKind,
    Referral,
    ReferralPerson,
    ReferralStatus,
    SharedSection,
    Urgency,
)
from ruta.referrals.permissions import ReferralPermission
from ruta.referrals.selectors import referral_view
from ruta.referrals.steps import (
    ReferralError,
    expect_status,
    locked,
    require,
    required_text,
    step_record,
    versioned_save,
)

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
    require(
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
    step_record(referral, actor, "created", "", f"to {service.institution.code} ({service.category.code})")
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
def referral_send(*, actor: User, referral: Referral) -> Referral:
    """Send a draft: consent (or an override) is checked, deadlines are set, the recipients are told."""
    referral = locked(referral)
    require(referral_view(actor, referral).is_sender)
    expect_status(referral, ReferralStatus.DRAFT)
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
    versioned_save(referral, ["status", "sent_by", "sent_at", "accept_due_at", "complete_due_at"])
    step_record(referral, actor, "sent", ReferralStatus.DRAFT, f"urgency {referral.urgency}")
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
    referral = locked(referral)
    require(referral_view(actor, referral).receiver_side)
    expect_status(referral, ReferralStatus.SENT)
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_by = actor
    referral.answered_at = timezone.now()
    versioned_save(referral, ["status", "answered_by", "answered_at"])
    step_record(referral, actor, "accepted", ReferralStatus.SENT, "accepted")
    _notify_sender(referral, gettext_noop("Referral %(reference)s was accepted"))
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    referral = locked(referral)
    require(referral_view(actor, referral).receiver_side)
    expect_status(referral, ReferralStatus.SENT)
    referral.decline_reason = required_text(reason, "reason", _("Give the reason for declining."))
    referral.status = ReferralStatus.DECLINED
    referral.answered_by = actor
    referral.answered_at = timezone.now()
    versioned_save(referral, ["status", "answered_by", "answered_at", "decline_reason"])
    step_record(referral, actor, "declined", ReferralStatus.SENT, "declined")
    _notify_sender(referral, gettext_noop("Referral %(reference)s was declined"))
    return referral


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, outcome: str) -> Referral:
    referral = locked(referral)
    require(referral_view(actor, referral).receiver_side)
    expect_status(referral, ReferralStatus.ACCEPTED)
    referral.outcome = required_text(outcome, "outcome", _("Describe the outcome."))
    referral.status = ReferralStatus.COMPLETED
    referral.completed_by = actor
    referral.completed_at = timezone.now()
    versioned_save(referral, ["status", "completed_by", "completed_at", "outcome"])
    step_record(referral, actor, "completed", ReferralStatus.ACCEPTED, "completed")
    _notify_sender(referral, gettext_noop("Referral %(reference)s was completed"))
    return referral


@transaction.atomic
def referral_revoke(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The sender withdraws the referral before it is completed (a reason is required)."""
    referral = locked(referral)
    require(referral_view(actor, referral).is_sender)
    expect_status(referral, ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED)
    old = referral.status
    referral.revoke_reason = required_text(reason, "reason", _("Give the reason for revoking."))
    referral.status = ReferralStatus.REVOKED
    referral.revoked_by = actor
    referral.revoked_at = timezone.now()
    versioned_save(referral, ["status", "revoked_by", "revoked_at", "revoke_reason"])
    step_record(referral, actor, "revoked", old, "revoked")
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
    referral = locked(referral)
    require(referral_view(actor, referral).can_record_milestone)
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
    step_record(
        referral, actor, "legal_milestone", referral.status, kind, {"milestone": kind, "on": occurred_on.isoformat()}
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=milestone, reference=referral.case.reference, summary=kind)
    return milestone
