"""Consent to a referral (decided here; see ``ruta/referrals/README.md``): a referral may be sent only
when each referred person has a granted, non-withdrawn ``Consent`` with purpose ``referral`` **for this
referral** (``referral_id``); for a child the consent must name the guardian or authority it was given
with (``given_with``). Otherwise a user holding REFERRAL_CONSENT_OVERRIDE for the sending institution
records an override with a written reason, shown on the referral and audit-logged."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.models import Case, Consent, ConsentPurpose
from ruta.institutions.models import Institution
from ruta.persons.models import Person
from ruta.referrals.models import Referral, ReferralPerson, ReferralStatus
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


@dataclass(frozen=True)
class ConsentInput:
    person: Person
    granted: bool
    guardian: Person | None = None
    authority: Institution | None = None


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

    referral = locked(referral)
    require(referral_view(actor, referral).is_sender)
    expect_status(referral, ReferralStatus.DRAFT)
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
    step_record(
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
    referral = locked(referral)
    view = referral_view(actor, referral)
    require(view.sender_side)
    expect_status(referral, ReferralStatus.DRAFT)
    if not view.can_override:
        raise ReferralError(
            "override_not_allowed",
            _("You may not override consent; ask a supervisor of the sending institution."),
            "consent_override_reason",
        )
    referral.consent_override_reason = required_text(
        reason, "consent_override_reason", _("Give the reason for sending without consent.")
    )
    referral.consent_override_by = actor
    referral.consent_override_at = timezone.now()
    versioned_save(referral, ["consent_override_reason", "consent_override_by", "consent_override_at"])
    step_record(referral, actor, "consent_overridden", referral.status, "consent override recorded")
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=referral,
        summary="referral consent override",
        reason=referral.consent_override_reason,
    )
    return referral
