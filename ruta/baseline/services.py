"""Every change to a baseline study: one keyword-only, atomic function per action, taking the acting
user and writing its audit row in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.baseline.models import (
    ActorLink,
    Attendance,
    CapacityAssessment,
    CapacityDimension,
    CapacityLevel,
    CapacityScore,
    Evidence,
    Finding,
    GroupOutput,
    Initiative,
    Participant,
    ResultIndicator,
    ResultValue,
    Round,
    Study,
    Workshop,
    WorkshopSession,
)
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.instruments.models import InstrumentVersion


def _audit(actor: User, action: AuditAction, obj: models.Model, summary: str, **changes: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, summary=summary, changes=changes or None)


@transaction.atomic
def study_create(*, actor: User, title: str, description: str = "") -> Study:
    study = Study.objects.create(title=title, description=description, created_by=actor)
    _audit(actor, AuditAction.CREATE, study, f"study {study.pk} created")
    return study


@dataclass(frozen=True)
class RoundInput:
    kind: str
    starts_on: date
    ends_on: date
    instruments: Sequence[InstrumentVersion] = ()
    departments: Sequence[Department] = ()
    institutions: Sequence[Institution] = ()


@transaction.atomic
def round_save(*, actor: User, study: Study, data: RoundInput, round_: Round | None = None) -> Round:
    """Create a round of ``study`` or, given ``round_``, replace its dates and coverage."""
    if data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": _("A round cannot end before it starts.")})
    same_kind = Round.objects.filter(study=study, kind=data.kind)
    if round_ is not None:
        same_kind = same_kind.exclude(pk=round_.pk)
    if same_kind.exists():
        raise ValidationError({"kind": _("This study already has a round of this kind.")})
    created = round_ is None
    if round_ is None:
        round_ = Round(study=study)
    round_.kind, round_.starts_on, round_.ends_on = data.kind, data.starts_on, data.ends_on
    round_.save()
    round_.instruments.set(data.instruments)
    round_.departments.set(data.departments)
    round_.institutions.set(data.institutions)
    _audit(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        round_,
        f"round {round_.kind} of study {study.pk} saved",
        instruments=sorted(version.pk for version in data.instruments),
        institutions=sorted(institution.code for institution in data.institutions),
    )
    return round_


@transaction.atomic
def workshop_create(
    *,
    actor: User,
    round_: Round,
    title: str,
    starts_on: date,
    ends_on: date,
    place: str,
    department: Department | None = None,
    sessions: Iterable[tuple[str, date]] = (),
) -> Workshop:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("A workshop cannot end before it starts.")})
    workshop = Workshop.objects.create(
        round=round_,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        department=department,
        created_by=actor,
    )
    for session_title, held_on in sessions:
        _session(workshop, session_title, held_on)
    _audit(actor, AuditAction.CREATE, workshop, f"workshop {workshop.pk} of round {round_.pk} created")
    return workshop


def _session(workshop: Workshop, title: str, held_on: date) -> WorkshopSession:
    if not workshop.starts_on <= held_on <= workshop.ends_on:
        raise ValidationError({"held_on": _("A session must take place during its workshop.")})
    return WorkshopSession.objects.create(workshop=workshop, title=title, held_on=held_on)


@transaction.atomic
def session_add(*, actor: User, workshop: Workshop, title: str, held_on: date) -> WorkshopSession:
    session = _session(workshop, title, held_on)
    _audit(actor, AuditAction.CREATE, session, f"session {session.pk} added to workshop {workshop.pk}")
    return session


@transaction.atomic
def participant_add(
    *,
    actor: User,
    workshop: Workshop,
    name: str,
    institution: Institution,
    position: str,
    sex: str,
    department: Department | None = None,
) -> Participant:
    participant = Participant.objects.create(
        workshop=workshop, name=name, institution=institution, position=position, sex=sex, department=department
    )
    # The audit row names the workshop and institution, never the person.
    _audit(
        actor,
        AuditAction.CREATE,
        participant,
        f"participant {participant.pk} registered at workshop {workshop.pk}",
        institution=institution.code,
    )
    return participant


@transaction.atomic
def attendance_record(*, actor: User, session: WorkshopSession, present: Iterable[Participant]) -> tuple[int, int]:
    """Make the session's sign-in sheet exactly ``present``; returns (signed in, signed out) counts."""
    wanted = {participant.pk for participant in present if participant.workshop_id == session.workshop_id}
    existing = set(session.attendance.values_list("participant_id", flat=True))
    added, removed = wanted - existing, existing - wanted
    now = timezone.now()
    Attendance.objects.bulk_create(
        Attendance(session=session, participant_id=pk, recorded_by=actor, recorded_at=now) for pk in sorted(added)
    )
    session.attendance.filter(participant_id__in=removed).delete()
    _audit(
        actor,
        AuditAction.UPDATE,
        session,
        f"sign-in of session {session.pk}: {len(wanted)} present",
        signed_in=sorted(added),
        signed_out=sorted(removed),
    )
    return len(added), len(removed)


@transaction.atomic
def output_add(*, actor: User, workshop: Workshop, group: str, text: str) -> GroupOutput:
    output = GroupOutput.objects.create(workshop=workshop, group=group, text=text)
    _audit(actor, AuditAction.CREATE, output, f"group output {output.pk} added to workshop {workshop.pk}")
    return output


@transaction.atomic
def finding_create(
    *,
    actor: User,
    round_: Round,
    kind: str,
    text: str,
    workshop: Workshop | None = None,
    evidence: Iterable[models.Model] = (),
) -> Finding:
    if workshop is not None and workshop.round_id != round_.pk:
        raise ValidationError({"workshop": _("The workshop belongs to another round.")})
    finding = Finding.objects.create(round=round_, kind=kind, text=text, workshop=workshop, created_by=actor)
    links = [
        Evidence(finding=finding, content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
        for record in evidence
    ]
    Evidence.objects.bulk_create(links, ignore_conflicts=True)
    _audit(
        actor,
        AuditAction.CREATE,
        finding,
        f"{kind} {finding.pk} of round {round_.pk} recorded",
        evidence=[f"{link.content_type.model}:{link.object_id}" for link in links],
    )
    return finding


@transaction.atomic
def initiative_create(*, actor: User, departments: Sequence[Department] = (), **fields: Any) -> Initiative:
    initiative = Initiative.objects.create(created_by=actor, **fields)
    initiative.departments.set(departments)
    _audit(actor, AuditAction.CREATE, initiative, f"initiative {initiative.pk} recorded", pillar=initiative.pillar)
    return initiative


@transaction.atomic
def link_create(
    *, actor: User, source: Institution, target: Institution, kind: str, initiative: Initiative | None = None
) -> ActorLink:
    if source.pk == target.pk:
        raise ValidationError({"target": _("An institution cannot be linked to itself.")})
    if ActorLink.objects.filter(source=source, target=target, kind=kind).exists():
        raise ValidationError({"target": _("This link is already recorded.")})
    link = ActorLink.objects.create(source=source, target=target, kind=kind, initiative=initiative, created_by=actor)
    _audit(actor, AuditAction.CREATE, link, f"link {source.code}→{target.code} ({kind}) recorded")
    return link


@transaction.atomic
def assessment_save(
    *, actor: User, round_: Round, institution: Institution, scores: Mapping[CapacityDimension, int]
) -> CapacityAssessment:
    """Record (or correct) an institution's capacity scores for a round; each score must be a level
    of its dimension's scale."""
    levels = {
        (dimension_id, value)
        for dimension_id, value in CapacityLevel.objects.filter(dimension__in=list(scores)).values_list(
            "dimension_id", "value"
        )
    }
    invalid = [dimension.code for dimension, value in scores.items() if (dimension.pk, value) not in levels]
    if invalid:
        raise ValidationError({code: _("Choose a level of the scale.") for code in invalid})
    assessment, created = CapacityAssessment.objects.get_or_create(
        round=round_, institution=institution, defaults={"assessed_by": actor}
    )
    before = dict(assessment.scores.values_list("dimension__code", "value"))
    for dimension, value in scores.items():
        CapacityScore.objects.update_or_create(assessment=assessment, dimension=dimension, defaults={"value": value})
    if not created:
        assessment.assessed_by = actor
        assessment.save(update_fields=["assessed_by", "updated_at"])
    after = {dimension.code: value for dimension, value in scores.items()}
    _audit(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        assessment,
        f"capacity of {institution.code} in round {round_.pk} scored",
        before=before,
        after=after,
    )
    return assessment


@transaction.atomic
def result_indicator_create(
    *,
    actor: User,
    study: Study,
    title: str,
    baseline_value: Decimal,
    target_value: Decimal,
    unit: str = "",
    statistic: str = "",
) -> ResultIndicator:
    result = ResultIndicator.objects.create(
        study=study,
        title=title,
        unit=unit,
        baseline_value=baseline_value,
        target_value=target_value,
        statistic=statistic,
    )
    _audit(actor, AuditAction.CREATE, result, f"results indicator {result.pk} of study {study.pk} added")
    return result


@transaction.atomic
def result_value_record(
    *, actor: User, indicator: ResultIndicator, round_: Round, value: Decimal, source: str
) -> ResultValue:
    if indicator.statistic:
        raise ValidationError({"value": _("This indicator is computed from Ruta's data; it takes no typed value.")})
    if round_.study_id != indicator.study_id:
        raise ValidationError({"round": _("The round belongs to another study.")})
    recorded, _created = ResultValue.objects.update_or_create(
        indicator=indicator,
        round=round_,
        defaults={"value": value, "source": source, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    _audit(actor, AuditAction.UPDATE, indicator, f"actual value for round {round_.pk} recorded", value=str(value))
    return recorded
