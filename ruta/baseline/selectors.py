"""Reads of baseline studies that depend on who asks; missing and forbidden look the same (404)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from ruta.accounts.models import User
from ruta.baseline.models import (
    CapacityAssessment,
    CapacityDimension,
    Evidence,
    Finding,
    GroupOutput,
    Round,
    RoundReport,
    Study,
    Workshop,
    WorkshopSession,
)
from ruta.baseline.permissions import BaselinePermission
from ruta.instruments.models import Submission
from ruta.instruments.permissions import InstrumentPermission
from ruta.policy import access
from ruta.policy.permissions import Permission

P = BaselinePermission


def studies_visible(user: User) -> QuerySet[Study]:
    return access.visible(user, P.VIEW, Study.objects.prefetch_related("rounds"))


def study_for(user: User, pk: int, permission: Permission = P.VIEW) -> Study:
    return access.get_visible_or_404(user, permission, Study.objects.all(), pk=pk)


def round_for(user: User, pk: int, permission: Permission = P.VIEW) -> Round:
    """A round is as visible as its study."""
    studies = access.visible(user, permission, Study.objects.all())
    found = Round.objects.select_related("study").filter(study__in=studies, pk=pk).first()
    if found is None:
        raise Http404
    return found


def workshops_visible(user: User, permission: Permission) -> QuerySet[Workshop]:
    return access.visible(user, permission, Workshop.objects.select_related("round__study", "department"))


def workshop_for(user: User, pk: int, permission: Permission = P.VIEW) -> Workshop:
    return access.get_visible_or_404(user, permission, workshops_visible(user, permission), pk=pk)


def session_for(user: User, pk: int, permission: Permission) -> WorkshopSession:
    """A session is as visible as its workshop."""
    workshops = access.visible(user, permission, Workshop.objects.all())
    found = (
        WorkshopSession.objects.select_related("workshop__round__study").filter(workshop__in=workshops, pk=pk).first()
    )
    if found is None:
        raise Http404
    return found


def report_for(user: User, pk: int) -> RoundReport:
    """A report is as visible as its round (the files are loaded only to be sent)."""
    report = RoundReport.objects.select_related("round__study").defer("xlsx", "pdf").filter(pk=pk).first()
    if report is None:
        raise Http404
    round_for(user, report.round_id)
    return report


def active_dimensions() -> list[CapacityDimension]:
    return list(CapacityDimension.objects.filter(is_active=True).prefetch_related("levels"))


def evidence_choices(user: User, round_: Round) -> list[tuple[str, str]]:
    """What a finding of ``round_`` may cite: the round's group outputs, capacity assessments and the
    submissions of its instruments that ``user`` may see (named by instance, never by answers)."""
    choices: list[tuple[str, str]] = []
    for output in GroupOutput.objects.filter(workshop__round=round_).select_related("workshop"):
        choices.append((f"output:{output.pk}", f"{output.workshop.title} — {output.group}"))
    for assessment in CapacityAssessment.objects.filter(round=round_).select_related("institution"):
        choices.append((f"assessment:{assessment.pk}", str(assessment.institution.name)))
    if access.has_perm(user, InstrumentPermission.VIEW_SUBMISSIONS):
        submissions = access.visible(
            user,
            InstrumentPermission.VIEW_SUBMISSIONS,
            Submission.objects.filter(version__in=round_.instruments.all()).select_related("instrument").defer("data"),
        )
        for submission in submissions[:200]:
            choices.append((f"submission:{submission.pk}", f"{submission.instrument.title} — {submission.instance_id}"))
    return choices


EVIDENCE_MODELS: dict[str, type[Any]] = {
    "output": GroupOutput,
    "assessment": CapacityAssessment,
    "submission": Submission,
}


def evidence_records(keys: list[str]) -> list[Any]:
    """The records behind the chosen evidence keys (``"output:12"``), already checked against the
    choices the form offered."""
    wanted: dict[str, list[int]] = {}
    for key in keys:
        kind, _sep, pk = key.partition(":")
        wanted.setdefault(kind, []).append(int(pk))
    return [record for kind, pks in wanted.items() for record in EVIDENCE_MODELS[kind].objects.filter(pk__in=pks)]


def findings_with_evidence(round_: Round) -> list[tuple[Finding, list[str]]]:
    """The round's findings, each with a label per piece of evidence."""
    findings = list(round_.findings.select_related("workshop"))
    links = Evidence.objects.filter(finding__in=findings)
    by_type: dict[int, dict[int, Any]] = {}
    for content_type_id in {link.content_type_id for link in links}:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        ids = [link.object_id for link in links if link.content_type_id == content_type_id]
        by_type[content_type_id] = {record.pk: record for record in model._default_manager.filter(pk__in=ids)}  # type: ignore[union-attr]
    labels: dict[int, list[str]] = {finding.pk: [] for finding in findings}
    for link in links:
        record = by_type.get(link.content_type_id, {}).get(link.object_id)
        if record is not None:
            labels[link.finding_id].append(_evidence_label(record))
    return [(finding, labels[finding.pk]) for finding in findings]


def _evidence_label(record: Any) -> str:
    from django.utils.translation import gettext as _t

    if isinstance(record, GroupOutput):
        return _t("Group output: %(group)s") % {"group": record.group}
    if isinstance(record, CapacityAssessment):
        return _t("Capacity scores: %(institution)s") % {"institution": record.institution.name}
    if isinstance(record, Submission):
        return _t("Submission %(instance)s") % {"instance": record.instance_id}
    return str(record)
