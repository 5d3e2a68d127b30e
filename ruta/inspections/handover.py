"""Hand-over to the referral route, exactly once per visit.

A worker screened as trafficking or possible trafficking, or any immediate danger, becomes one
alert on the ``inspection`` channel (the ERI's queue) linked to the visit, with the police and
prosecutor liaisons of the territory notified. A child found working is notified to child
protection (SENAF) once. The visit row is locked while deciding, and the hand-over is unique per
visit, so a retried or concurrent sync never hands anything over twice.

Priority comes from the alerts' rules, given the community signals the indicators map to
(``IndicatorSignal``), plus two rules of the inspection channel: immediate danger is P1 and a child
in hazardous work is at least P2."""

from __future__ import annotations

import dataclasses

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ruta.accounts.models import User
from ruta.alerts.configuration import IntakeConfiguration, intake_configuration
from ruta.alerts.intake import AlertInput, PersonInput, alert_submit
from ruta.alerts.models import MAX_PERSONS, Channel
from ruta.alerts.priority import RuleDef
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.texts import Text
from ruta.inspections.catalogue import CHILD_WORKING_SIGNAL, HAZARDOUS_WORK_SIGNAL
from ruta.inspections.models import Handover, IndicatorSignal, Visit, WorkerInterview
from ruta.inspections.permissions import InspectionPermission
from ruta.institutions.models import Institution, InstitutionType
from ruta.notifications.services import notify
from ruta.policy import access

HANDED_OVER_OUTCOMES = ("trafficking", "possible")
IMMEDIATE_DANGER_RULE = "inspection-immediate-danger"
CHILD_HAZARDOUS_WORK_RULE = "inspection-child-hazardous-work"
INSPECTION_RULES = (
    RuleDef(code=IMMEDIATE_DANGER_RULE, priority="P1", order=0, requires_happening_now=True),
    RuleDef(
        code=CHILD_HAZARDOUS_WORK_RULE,
        priority="P2",
        order=0,
        requires_child=True,
        any_of_signals=(HAZARDOUS_WORK_SIGNAL,),
    ),
)

INSPECTION_RULE_LABELS = {
    IMMEDIATE_DANGER_RULE: _("A labour inspection found someone in immediate danger."),
    CHILD_HAZARDOUS_WORK_RULE: _("A labour inspection found a child in hazardous work."),
}


def _triggers(interview: WorkerInterview) -> bool:
    return interview.screening_outcome in HANDED_OVER_OUTCOMES or interview.immediate_danger


def signals_for(interviews: list[WorkerInterview]) -> list[str]:
    mapping = dict(IndicatorSignal.objects.values_list("indicator_code", "signal_code"))
    found: set[str] = set()
    for interview in interviews:
        found.update(mapping[code] for code in interview.forced_labour_indicators if code in mapping)
        if interview.is_child:
            found.add(CHILD_WORKING_SIGNAL)
        if interview.hazardous_work:
            found.add(HAZARDOUS_WORK_SIGNAL)
    return sorted(found)


def _configuration() -> IntakeConfiguration:
    configuration = intake_configuration.get()
    return dataclasses.replace(configuration, rules=tuple(configuration.rules) + INSPECTION_RULES)


def _narrative(visit: Visit, triggering: list[WorkerInterview], danger: bool) -> str:
    # No worker identity ever goes into the alert: the ERI reaches the workers through the inspector.
    parts = [
        f"Inspección laboral / labour inspection {visit.uuid}: {visit.establishment.name} "
        f"({visit.establishment.sector.code}), {visit.municipality.name}.",
        f"Personas con indicios / workers with indicators: {len(triggering)}.",
    ]
    if danger:
        parts.append(f"PELIGRO INMEDIATO / IMMEDIATE DANGER. {visit.danger_note}".strip())
    return " ".join(parts)[:4000]


def _institutions(*types: str) -> list[int]:
    return list(Institution.objects.filter(type__in=types, is_active=True).values_list("pk", flat=True))


def handover_if_due(*, actor: User, visit: Visit) -> Handover | None:
    """Hand the visit over if what it recorded calls for it and it was not handed over before."""
    with transaction.atomic():
        locked = (
            Visit.objects.select_for_update().select_related("establishment__sector", "municipality").get(pk=visit.pk)
        )
        _child_protection_notice(actor=actor, visit=locked)
        if Handover.objects.filter(visit=locked).exists():
            return None
        interviews = list(locked.interviews.all())
        triggering = [interview for interview in interviews if _triggers(interview)]
        danger = locked.immediate_danger or any(interview.immediate_danger for interview in interviews)
        if not triggering and not danger:
            return None
        concerned = triggering or [i for i in interviews if i.has_indicators]
        configuration = _configuration()
        data = AlertInput(
            narrative=_narrative(locked, triggering, danger),
            municipality=locked.municipality,
            signal_codes=[code for code in signals_for(concerned) if code in configuration.active_signal_codes],
            happening_now=danger,
            persons=[PersonInput(age=i.age, age_group=i.age_group, sex=i.sex) for i in concerned[:MAX_PERSONS]],
        )
        submitted = alert_submit(actor=actor, data=data, channel=Channel.INSPECTION, configuration=configuration)
        handover = Handover.objects.create(
            visit=locked,
            alert=submitted.alert,
            interviews=[str(interview.uuid) for interview in triggering],
            immediate_danger=danger,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=handover,
            summary=f"inspection hand-over: alert {submitted.alert.reference} ({submitted.alert.priority})",
        )
        recipients = access.holders(
            InspectionPermission.HANDOVER_RECEIVE,
            locked,
            institution_ids=_institutions(InstitutionType.POLICE, InstitutionType.PROSECUTOR),
        )
        notify(
            recipients=recipients,
            kind="inspection_handover",
            subject=Text(
                gettext_noop("Labour inspection hand-over: alert %(reference)s (%(priority)s) in %(place)s"),
                {
                    "reference": submitted.alert.reference,
                    "priority": submitted.alert.priority,
                    "place": locked.municipality.name,
                },
            ),
            body=Text(
                gettext_noop(
                    "An inspection visit found signs of trafficking or immediate danger; the ERI has the alert."
                )
            ),
            dedupe_key=f"inspection-handover-{locked.pk}",
        )
        return handover


def _child_protection_notice(*, actor: User, visit: Visit) -> bool:
    """Notify child protection once when a child is found working on this visit."""
    if visit.child_protection_notified_at is not None:
        return False
    child = visit.interviews.filter(Q(age__lt=18) | Q(age__isnull=True, age_group="child")).exists()
    if not child:
        return False
    visit.child_protection_notified_at = timezone.now()
    visit.save(update_fields=["child_protection_notified_at"])
    recipients = access.holders(
        InspectionPermission.CHILD_NOTICE_RECEIVE,
        visit,
        institution_ids=_institutions(InstitutionType.CHILD_PROTECTION),
    )
    notify(
        recipients=recipients,
        kind="inspection_child_working",
        subject=Text(
            gettext_noop("A child was found working during a labour inspection in %(place)s"),
            {"place": visit.municipality.name},
        ),
        body=Text(gettext_noop("The labour inspectorate asks child protection to take the child-protection steps.")),
        dedupe_key=f"inspection-child-{visit.pk}",
    )
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=visit, summary="child protection notified")
    return True
