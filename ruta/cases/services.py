"""Every change to a case goes through here (and ``protection`` / ``care``), with its audit row and
timeline event in the same transaction.

Edits carry the ``version`` of the case they were based on: ``case_claim`` bumps it with a
conditional UPDATE, so a stale write is refused (``CaseConflict``) and the whole transaction, with
everything it would have written, is rolled back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.models import (
    CASE_REFERENCE_PREFIX,
    CarePlan,
    Case,
    CaseClosure,
    CaseEvent,
    CaseMember,
    CasePerson,
    CasePersonRole,
    CaseReopening,
    Consent,
    ConsentPurpose,
    ExploitationType,
    FollowUp,
    IdentificationDecision,
    NeedAssessment,
    ServiceDelivery,
    Stage,
)
from ruta.cases.permissions import CasePermission
from ruta.cases.stages import CaseFacts, derive_stage
from ruta.core import rollups
from ruta.core.references import next_reference
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution
from ruta.persons.models import AgeGroup, Person, Sex
from ruta.persons.services import IdentityInput, person_register
from ruta.policy import access


class CaseError(Exception):
    """A rule refused the change; ``message`` is translated and meant for the user."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class CaseConflict(CaseError):
    code = "conflict"


# --- Version, stage, timeline ---------------------------------------------------------------------


def case_claim(*, case: Case, version: int | None) -> None:
    """Take the edit: succeeds only if nobody changed the case since ``version`` was read."""
    if version is None:
        raise CaseError(_("The form is missing the case version; reload the page."), field="version")
    updated = Case.objects.filter(pk=case.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise CaseConflict(
            _(
                "Someone else changed this case after you opened the form. Nothing was saved: your entries "
                "are kept below; check the case and submit again."
            )
        )
    # ``case.version`` in memory is left alone: if the transaction rolls back, it is still right.


def case_ensure_open(case: Case) -> None:
    if case.stage == Stage.CLOSED:
        raise CaseError(_("The case is closed: reopen it before recording anything else."), code="closed")


def presumed_victims(case: Case) -> list[Person]:
    return [
        link.person
        for link in CasePerson.objects.filter(case=case, role=CasePersonRole.PRESUMED_VICTIM)
        .select_related("person")
        .order_by("id")
    ]


def current_consents(case: Case) -> dict[tuple[int, str, int | None], Consent]:
    """The latest consent record per (person, purpose, referral): later records replace earlier ones."""
    latest: dict[tuple[int, str, int | None], Consent] = {}
    for consent in Consent.objects.filter(case=case).order_by("recorded_at", "id"):
        latest[(consent.person_id, consent.purpose, consent.referral_id)] = consent
    return latest


def consent_in_force(consent: Consent | None) -> bool:
    return consent is not None and consent.granted and consent.withdrawn_at is None


def case_facts(case: Case) -> CaseFacts:
    flags = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            identified=Exists(IdentificationDecision.objects.filter(case=OuterRef("pk"))),
            assessed=Exists(NeedAssessment.objects.filter(case=OuterRef("pk"), assessed_at__isnull=False)),
            planned=Exists(CarePlan.objects.filter(case=OuterRef("pk"), superseded_at__isnull=True)),
            approved=Exists(
                CarePlan.objects.filter(case=OuterRef("pk"), superseded_at__isnull=True, approved_at__isnull=False)
            ),
            served=Exists(ServiceDelivery.objects.filter(case=OuterRef("pk")))
            | Exists(CaseEvent.objects.filter(case=OuterRef("pk"), kind__startswith="referral")),
            followed=Exists(FollowUp.objects.filter(case=OuterRef("pk"), done_at__isnull=False)),
        )
        .values("identified", "assessed", "planned", "approved", "served", "followed")
        .get()
    )
    closure = CaseClosure.objects.filter(case=case).order_by("-created_at", "-id").first()
    reopened_after = (
        closure is not None and CaseReopening.objects.filter(case=case, created_at__gte=closure.created_at).exists()
    )
    consents = current_consents(case)
    victim_ids = list(
        CasePerson.objects.filter(case=case, role=CasePersonRole.PRESUMED_VICTIM).values_list("person_id", flat=True)
    )
    return CaseFacts(
        identification_recorded=flags["identified"],
        case_work_consent=bool(victim_ids)
        and all(consent_in_force(consents.get((pk, ConsentPurpose.CASE_WORK, None))) for pk in victim_ids),
        assessment_started=flags["assessed"],
        plan_recorded=flags["planned"],
        plan_approved=flags["approved"],
        services_or_referrals=flags["served"],
        follow_up_done=flags["followed"],
        closure_pending=closure is not None and closure.approved is None and not reopened_after,
        closed=closure is not None and bool(closure.approved) and not reopened_after,
    )


def case_stage_refresh(case: Case) -> Stage:
    """Recompute the derived stage and the child flag, and store them for lists and work lists."""
    stage = derive_stage(case_facts(case))
    has_child = (
        CasePerson.objects.filter(case=case, role=CasePersonRole.PRESUMED_VICTIM)
        .filter(Q(person__age_group=AgeGroup.CHILD) | Q(person__presumed_child=True))
        .exists()
    )
    closed_at = case.closed_at
    if stage == Stage.CLOSED and closed_at is None:
        closed_at = timezone.now()
    elif stage != Stage.CLOSED:
        closed_at = None
    rollups.mark_changed(Case.objects.filter(pk=case.pk))  # the stage is a kept dimension
    Case.objects.filter(pk=case.pk).update(stage=stage, has_child=has_child, closed_at=closed_at)
    case.stage, case.has_child, case.closed_at = stage, has_child, closed_at
    return stage


def case_event_record(
    *, case: Case, actor: User | None, kind: str, summary: str = "", data: dict[str, Any] | None = None
) -> CaseEvent:
    """Add a step to the case timeline and refresh the derived stage; call it inside the
    transaction of the change it records (referrals call it too: ``referral_*`` kinds count as services)."""
    event = CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        summary=summary[:300],
        data=data or {},
    )
    case_stage_refresh(case)
    return event


def case_person_merged(*, actor: User, survivor: Person, duplicate: Person) -> None:
    """Note a merge of persons on the timeline of every case involved (all the survivor's now)."""
    cases = Case.objects.filter(pk__in=CasePerson.objects.filter(person=survivor).values("case_id"))
    for case in cases.order_by("pk"):
        case_event_record(
            case=case,
            actor=actor,
            kind="person_merged",
            summary=f"{duplicate.reference} → {survivor.reference}",
            data={"survivor": survivor.reference, "duplicate": duplicate.reference},
        )


# --- Opening ---------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: User,
    lead_institution: Institution,
    presumed_victims: Iterable[Person],
    municipality: Municipality | None = None,
    opened_at: datetime | None = None,
    origin: str = "",
    exploitation: str = ExploitationType.UNKNOWN,
    narrative: str = "",
    data: dict[str, Any] | None = None,
) -> Case:
    """Open a case for one or more presumed victims; the actor becomes its owner and first team member.

    ``origin`` names where it came from (an alert reference, "direct") for the timeline."""
    victims = list(presumed_victims)
    if not victims:
        raise ValueError("a case needs at least one presumed victim")
    case = Case.objects.create(
        reference=next_reference(CASE_REFERENCE_PREFIX),
        opened_at=opened_at or timezone.now(),
        lead_institution=lead_institution,
        owner=actor,
        municipality=municipality,
        exploitation=exploitation,
        narrative=narrative,
    )
    CasePerson.objects.bulk_create(
        CasePerson(case=case, person=person, role=CasePersonRole.PRESUMED_VICTIM) for person in victims
    )
    CaseMember.objects.create(case=case, user=actor, institution=lead_institution)
    case_event_record(
        case=case, actor=actor, kind="case_opened", summary=origin or "direct", data={"origin": origin, **(data or {})}
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, summary=f"case opened ({origin or 'direct'})")
    return case


@dataclass
class PersonInput:
    """A person as entered on the case forms: attributes plus identity (encrypted by ``persons``)."""

    sex: str = Sex.UNKNOWN
    age_years: int | None = None
    age_group: str = AgeGroup.UNKNOWN
    nationality: str = ""
    identity: IdentityInput = field(default_factory=IdentityInput)


def _register(actor: User, institution: Institution, person: PersonInput) -> Person:
    return person_register(
        actor=actor,
        institution=institution,
        sex=person.sex,
        age_years=person.age_years,
        age_group=person.age_group,
        identity=person.identity,
        nationality=person.nationality,
    )


@transaction.atomic
def case_open_direct(
    *,
    actor: User,
    lead_institution: Institution,
    victims: Sequence[PersonInput],
    municipality: Municipality | None,
    exploitation: str,
    narrative: str = "",
    opened_at: datetime | None = None,
    existing_persons: Sequence[Person] = (),
) -> Case:
    """Open a case from the case pages or the API: register the presumed victims, then open it."""
    if not victims and not existing_persons:
        raise CaseError(_("Add at least one presumed victim."), field="victims")
    if opened_at and opened_at > timezone.now():
        raise CaseError(_("A case cannot be opened in the future."), field="opened_at")
    persons = list(existing_persons) + [_register(actor, lead_institution, victim) for victim in victims]
    return case_open(
        actor=actor,
        lead_institution=lead_institution,
        presumed_victims=persons,
        municipality=municipality,
        opened_at=opened_at,
        origin="direct",
        exploitation=exploitation,
        narrative=narrative,
    )


@transaction.atomic
def case_person_add(*, actor: User, case: Case, version: int, role: str, person: PersonInput) -> CasePerson:
    """Add someone to the case (a guardian or representative, a relative, another presumed victim…)."""
    case_claim(case=case, version=version)
    case_ensure_open(case)
    if role not in CasePersonRole.values:
        raise CaseError(_("Choose a valid role."), field="role")
    registered = _register(actor, case.lead_institution, person)
    link = CasePerson.objects.create(case=case, person=registered, role=role)
    case_event_record(
        case=case,
        actor=actor,
        kind="person_added",
        summary=f"{registered.reference} ({role})",
        data={"person": registered.reference, "role": role},
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, summary=f"person {registered.reference} added")
    return link


# --- Team ------------------------------------------------------------------------------------------


@transaction.atomic
def case_member_add(*, actor: User, case: Case, version: int, user: User, institution: Institution) -> CaseMember:
    case_claim(case=case, version=version)
    case_ensure_open(case)
    if not user.memberships.filter(institution=institution, is_active=True).exists():
        raise CaseError(_("This person does not work for the chosen institution."), field="user")
    if not access.has_perm(user, CasePermission.VIEW):
        raise CaseError(_("This person's role cannot work on cases."), field="user")
    member, created = CaseMember.objects.get_or_create(
        case=case, user=user, defaults={"institution": institution, "is_active": True}
    )
    if not created:
        if member.is_active:
            raise CaseError(_("This person is already in the case team."), field="user")
        member.is_active, member.institution = True, institution
        member.save(update_fields=["is_active", "institution", "updated_at"])
    case_event_record(
        case=case,
        actor=actor,
        kind="member_added",
        summary=f"{user.get_username()} ({institution})",
        data={"user": user.get_username(), "institution": institution.code},
    )
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, summary=f"team member {user.get_username()} added")
    return member


@transaction.atomic
def case_member_remove(*, actor: User, case: Case, version: int, member: CaseMember) -> None:
    case_claim(case=case, version=version)
    if member.case_id != case.pk or not member.is_active:
        raise CaseError(_("This person is not in the case team."), field="member")
    if member.user_id == case.owner_id:
        raise CaseError(_("The case owner cannot be removed from the team."), field="member")
    member.is_active = False
    member.save(update_fields=["is_active", "updated_at"])
    username = member.user.get_username()
    case_event_record(case=case, actor=actor, kind="member_removed", summary=username, data={"user": username})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, summary=f"team member {username} removed")


def check_date_in_case(case: Case, value: date, *, field: str, allow_future: bool = False) -> None:
    """Dates of case steps fall between the opening and today (future only where planning)."""
    opened = timezone.localdate(case.opened_at)
    if value < opened:
        raise CaseError(_("This date is before the case was opened (%(date)s).") % {"date": opened}, field=field)
    if not allow_future and value > timezone.localdate():
        raise CaseError(_("This date is in the future."), field=field)
