"""A case's stage, derived from what has been recorded — a pure function, never typed by hand.

The stage is the furthest step of the route reached (assistance never waits for identification,
so a plan can exist before the formal decision); the milestones list shows every step, done or
not, so a missing one stays visible. Services store the result on ``Case.stage`` for lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.cases.models import Stage


@dataclass(frozen=True)
class CaseFacts:
    identification_recorded: bool = False
    case_work_consent: bool = False
    assessment_started: bool = False
    plan_recorded: bool = False
    plan_approved: bool = False
    services_or_referrals: bool = False
    follow_up_done: bool = False
    closure_pending: bool = False
    closed: bool = False


@dataclass(frozen=True)
class Milestone:
    code: str
    label: Promise
    done: bool


def milestones(facts: CaseFacts) -> list[Milestone]:
    return [
        Milestone("identification", _("Identification decision"), facts.identification_recorded),
        Milestone("consent", _("Consent to case work"), facts.case_work_consent),
        Milestone("assessment", _("Needs assessment"), facts.assessment_started),
        Milestone("plan", _("Care and protection plan approved"), facts.plan_approved),
        Milestone("services", _("Services or referrals"), facts.services_or_referrals),
        Milestone("follow_up", _("Follow-up done"), facts.follow_up_done),
        Milestone("closure", _("Closure approved"), facts.closed),
    ]


def derive_stage(facts: CaseFacts) -> Stage:
    if facts.closed:
        return Stage.CLOSED
    if facts.closure_pending:
        return Stage.CLOSURE_REQUESTED
    if facts.follow_up_done:
        return Stage.FOLLOW_UP
    if facts.services_or_referrals or facts.plan_approved:
        return Stage.SERVICES
    if facts.plan_recorded or facts.assessment_started:
        return Stage.PLANNING if facts.plan_recorded else Stage.ASSESSMENT
    if facts.case_work_consent:
        return Stage.ASSESSMENT
    if facts.identification_recorded:
        return Stage.CONSENT
    return Stage.IDENTIFICATION
