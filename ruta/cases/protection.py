"""Identification, reflection period, consent per purpose and the rules that protect children.

Children (under 18, or of unknown age and so presumed a child):
- nothing proceeds (assessment, plan, services, referral, closure) until the child-protection
  authority (SENAF) has been notified and a guardian or representative is recorded (or the
  authority itself represents the child);
- a child's consent is recorded with the guardian or the child-protection authority, never alone;
- closure, return and reintegration need a recorded best-interests decision first.

Other apps (referrals) call ``case_proceed_blockers`` before acting on a case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.models import (
    BestInterestsDecision,
    BestInterestsPurpose,
    Case,
    CasePerson,
    CasePersonRole,
    ChildProtectionNotification,
    Consent,
    ConsentPurpose,
    IdentificationDecision,
    ReflectionPeriod,
)
from ruta.cases.services import (
    CaseError,
    case_claim,
    case_ensure_open,
    case_event_record,
    check_date_in_case,
    consent_in_force,
    current_consents,
    presumed_victims,
)
from ruta.institutions.models import Institution, InstitutionType
from ruta.persons.models import Person
from ruta.screening.models import ScreeningRecord

# Services that return or reintegrate a person: for a child they need a best-interests decision.
BEST_INTERESTS_SERVICES: dict[str, str] = {
    "family_reintegration": BestInterestsPurpose.REINTEGRATION,
    "economic": BestInterestsPurpose.REINTEGRATION,
    "migration": BestInterestsPurpose.RETURN,
}


def child_victims(case: Case) -> list[Person]:
    return [person for person in presumed_victims(case) if person.is_child]


def child_blockers(case: Case) -> list[str]:
    """Why a case with a child cannot proceed yet (empty when it can)."""
    if not child_victims(case):
        return []
    blockers = []
    notifications = list(ChildProtectionNotification.objects.filter(case=case))
    if not notifications:
        blockers.append(
            _(
                "This case involves a child: record the notification of the child-protection authority (SENAF) "
                "before going on."
            )
        )
    has_guardian = CasePerson.objects.filter(case=case, role=CasePersonRole.GUARDIAN).exists()
    if not has_guardian and not any(n.authority_represents for n in notifications):
        blockers.append(
            _(
                "This case involves a child: record the child's guardian or representative (or that the "
                "child-protection authority represents the child) before going on."
            )
        )
    return blockers


def best_interests_blockers(case: Case, *, purpose: str) -> list[str]:
    """Children of the case without a best-interests decision for ``purpose`` (closure, return…)."""
    decided = set(BestInterestsDecision.objects.filter(case=case, purpose=purpose).values_list("person_id", flat=True))
    missing = [person.reference for person in child_victims(case) if person.pk not in decided]
    if not missing:
        return []
    label = BestInterestsPurpose(purpose).label
    return [
        _("Record a best-interests decision (%(purpose)s) for the child %(persons)s first.")
        % {"purpose": str(label).lower(), "persons": ", ".join(missing)}
    ]


def consent_blockers(case: Case) -> list[str]:
    """Presumed victims without consent to case work in force."""
    consents = current_consents(case)
    missing = [
        person.reference
        for person in presumed_victims(case)
        if not consent_in_force(consents.get((person.pk, ConsentPurpose.CASE_WORK, None)))
    ]
    if not missing:
        return []
    return [_("Record consent to case work for %(persons)s first.") % {"persons": ", ".join(missing)}]


def case_proceed_blockers(case: Case) -> list[str]:
    """Everything that stops care work (assessment, plan, services, referrals) on this case."""
    return child_blockers(case) + consent_blockers(case)


def require_can_proceed(case: Case) -> None:
    blockers = case_proceed_blockers(case)
    if blockers:
        raise CaseError(" ".join(blockers), code="blocked")


def _require_victim(case: Case, person: Person) -> None:
    if not CasePerson.objects.filter(case=case, person=person, role=CasePersonRole.PRESUMED_VICTIM).exists():
        raise CaseError(_("Choose a presumed victim of this case."), field="person")


# --- Identification and reflection ----------------------------------------------------------------


PERSON_SUBJECT = "persons.person"


@dataclass(frozen=True)
class EarlierSubject:
    """Records screened before there was a case that later became its persons (the alert person
    screened in triage): the app that keeps them registers it, since cases sit below that app."""

    subject_type: str  # the screening subject type (the model's label)
    note: Promise  # shown beside such a screening ("during triage of the alert")
    became: Callable[[list[Person]], dict[int, int]]  # of these persons': subject id -> person id


_EARLIER_SUBJECTS: dict[str, EarlierSubject] = {}


def register_earlier_subject(subject: EarlierSubject) -> None:
    _EARLIER_SUBJECTS[subject.subject_type] = subject


def earlier_subjects() -> list[EarlierSubject]:
    return list(_EARLIER_SUBJECTS.values())


def screening_is_of(record_id: int, person: Person) -> bool | None:
    """Whether formal screening ``record_id`` screened ``person`` (in the case, or before it as the
    record they became, e.g. in triage); None when no screening has that number."""
    record = ScreeningRecord.objects.filter(pk=record_id).only("subject_type", "subject_id").first()
    if record is None:
        return None
    if record.subject_type == PERSON_SUBJECT:
        return record.subject_id == str(person.pk)
    earlier = _EARLIER_SUBJECTS.get(record.subject_type)
    if earlier is not None:
        return earlier.became([person]).get(int(record.subject_id)) == person.pk
    return False


@transaction.atomic
def identification_record(
    *,
    actor: User,
    case: Case,
    version: int,
    person: Person,
    outcome: str,
    institution: Institution,
    decided_on: date,
    basis: str,
    screening_record_id: int | None = None,
) -> IdentificationDecision:
    """The competent institution's decision: presumed victim → identified victim (or not)."""
    case_claim(case=case, version=version)
    case_ensure_open(case)
    _require_victim(case, person)
    check_date_in_case(case, decided_on, field="decided_on")
    if not basis.strip():
        raise CaseError(_("State the basis of the decision."), field="basis")
    if screening_record_id is not None:
        screened = screening_is_of(screening_record_id, person)
        if screened is None:
            raise CaseError(_("No formal screening record has this number."), field="screening_record_id")
        if not screened:
            raise CaseError(_("This screening is not of the person chosen."), field="screening_record_id")
    decision = IdentificationDecision.objects.create(
        case=case,
        person=person,
        outcome=outcome,
        institution=institution,
        decided_on=decided_on,
        basis=basis,
        screening_record_id=screening_record_id,
        recorded_by=actor,
    )
    case_event_record(
        case=case,
        actor=actor,
        kind="identification_recorded",
        summary=f"{person.reference}: {outcome} ({institution})",
        data={"person": person.reference, "outcome": outcome, "institution": institution.code},
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=decision, reference=case.reference, summary=outcome)
    return decision


@transaction.atomic
def reflection_period_record(
    *, actor: User, case: Case, version: int, person: Person, starts_on: date, ends_on: date
) -> ReflectionPeriod:
    case_claim(case=case, version=version)
    case_ensure_open(case)
    _require_victim(case, person)
    check_date_in_case(case, starts_on, field="starts_on", allow_future=True)
    if ends_on < starts_on:
        raise CaseError(_("The period cannot end before it starts."), field="ends_on")
    period, _created = ReflectionPeriod.objects.update_or_create(
        case=case, person=person, defaults={"starts_on": starts_on, "ends_on": ends_on, "recorded_by": actor}
    )
    case_event_record(
        case=case,
        actor=actor,
        kind="reflection_period_recorded",
        summary=f"{person.reference}: {starts_on} – {ends_on}",
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, summary="reflection period recorded")
    return period


# --- Consent ---------------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    version: int,
    person: Person,
    purpose: str,
    granted: bool,
    referral_id: int | None = None,
    guardian: Person | None = None,
    authority: Institution | None = None,
    recorded_at: datetime | None = None,
) -> Consent:
    """Record a consent (or a refusal) for one purpose; for a child, with the guardian or the authority."""
    case_claim(case=case, version=version)
    case_ensure_open(case)
    _require_victim(case, person)
    if purpose not in ConsentPurpose.values:
        raise CaseError(_("Choose a valid purpose."), field="purpose")
    if purpose == ConsentPurpose.REFERRAL:
        _check_referral(case, referral_id)
    elif referral_id is not None:
        raise CaseError(_("Only a referral consent names a referral."), field="referral_id")
    if (
        guardian is not None
        and not CasePerson.objects.filter(case=case, person=guardian, role=CasePersonRole.GUARDIAN).exists()
    ):
        raise CaseError(_("Choose a guardian or representative recorded in this case."), field="guardian")
    if authority is not None and authority.type != InstitutionType.CHILD_PROTECTION:
        raise CaseError(_("Choose a child-protection authority."), field="authority")
    if person.is_child and guardian is None and authority is None:
        raise CaseError(
            _(
                "A child's consent is never recorded alone: record it with the guardian or the child-protection "
                "authority."
            ),
            field="guardian",
            code="child_alone",
        )
    given_with = ", ".join(
        part for part in [guardian.reference if guardian else "", str(authority) if authority else ""] if part
    )
    consent = Consent.objects.create(
        case=case,
        person=person,
        purpose=purpose,
        referral_id=referral_id if purpose == ConsentPurpose.REFERRAL else None,
        granted=granted,
        given_with=given_with,
        given_with_person=guardian,
        given_with_institution=authority,
        recorded_by=actor,
        recorded_at=recorded_at or timezone.now(),
    )
    case_event_record(
        case=case,
        actor=actor,
        kind="consent_recorded",
        summary=f"{person.reference}: {purpose} {'granted' if granted else 'refused'}",
        data={"person": person.reference, "purpose": purpose, "granted": granted, "referral_id": referral_id},
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=consent, reference=case.reference, summary=purpose)
    return consent


def _check_referral(case: Case, referral_id: int | None) -> None:
    """A referral consent may name a referral of this case (or none yet: consent to being referred)."""
    if referral_id is None:
        return
    try:
        referral_model = apps.get_model("referrals", "Referral")
    except LookupError:
        return
    if not referral_model._default_manager.filter(pk=referral_id, case=case).exists():
        raise CaseError(_("This case has no referral with this number."), field="referral_id")


@transaction.atomic
def consent_withdraw(*, actor: User, case: Case, version: int, consent: Consent) -> Consent:
    case_claim(case=case, version=version)
    if consent.case_id != case.pk or consent.withdrawn_at is not None or not consent.granted:
        raise CaseError(_("This consent is not in force."), field="consent")
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at", "updated_at"])
    case_event_record(
        case=case,
        actor=actor,
        kind="consent_withdrawn",
        summary=f"{consent.person.reference}: {consent.purpose}",
        data={"person": consent.person.reference, "purpose": consent.purpose, "referral_id": consent.referral_id},
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=consent, reference=case.reference, summary="withdrawn")
    return consent


# --- Children --------------------------------------------------------------------------------------


@transaction.atomic
def child_notification_record(
    *,
    actor: User,
    case: Case,
    version: int,
    institution: Institution,
    notified_at: datetime,
    means: str,
    authority_reference: str = "",
    authority_represents: bool = False,
) -> ChildProtectionNotification:
    case_claim(case=case, version=version)
    case_ensure_open(case)
    if institution.type != InstitutionType.CHILD_PROTECTION:
        raise CaseError(_("Choose a child-protection authority."), field="institution")
    if notified_at > timezone.now():
        raise CaseError(_("This date is in the future."), field="notified_at")
    if notified_at < case.opened_at - timedelta(days=1):
        raise CaseError(_("This date is before the case was opened."), field="notified_at")
    notification = ChildProtectionNotification.objects.create(
        case=case,
        institution=institution,
        notified_at=notified_at,
        means=means,
        authority_reference=authority_reference,
        authority_represents=authority_represents,
        recorded_by=actor,
    )
    case_event_record(case=case, actor=actor, kind="child_protection_notified", summary=str(institution))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=notification, reference=case.reference)
    return notification


@transaction.atomic
def best_interests_record(
    *,
    actor: User,
    case: Case,
    version: int,
    person: Person,
    purpose: str,
    decided_on: date,
    institution: Institution,
    decision: str,
) -> BestInterestsDecision:
    case_claim(case=case, version=version)
    case_ensure_open(case)
    _require_victim(case, person)
    if not person.is_child:
        raise CaseError(_("Best-interests decisions are recorded for children."), field="person")
    check_date_in_case(case, decided_on, field="decided_on")
    if not decision.strip():
        raise CaseError(_("Write the decision and its reasons."), field="decision")
    record = BestInterestsDecision.objects.create(
        case=case,
        person=person,
        purpose=purpose,
        decided_on=decided_on,
        institution=institution,
        decision=decision,
        recorded_by=actor,
    )
    case_event_record(case=case, actor=actor, kind="best_interests_recorded", summary=f"{person.reference}: {purpose}")
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record, reference=case.reference, summary=purpose)
    return record
