"""Every permission and every role, declared here and nowhere else.

A role grants permissions, each with a scope that says which records it reaches:

- ``own``: records the user created or is assigned to;
- ``team``: records whose case team the user belongs to (or that were shared with them);
- ``institution``: records of the membership's institution;
- ``territory``: records in the membership's department/municipality (no territory = the country);
- ``national``: everything.

A wider scope always includes the narrower ones. Views and API endpoints name the permission they
need; ``ruta.accounts.access`` turns (user, permission) into the records they may see."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Scope(enum.IntEnum):
    OWN = 1
    TEAM = 2
    INSTITUTION = 3
    TERRITORY = 4
    NATIONAL = 5


class Permission(enum.StrEnum):
    # Early warning
    ALERT_CREATE = "alert.create"
    ALERT_VIEW = "alert.view"
    ALERT_TRIAGE = "alert.triage"
    HOTLINE_LOG = "alert.hotline_log"
    # Screening
    SCREENING_RUN = "screening.run"
    CATALOGUE_MANAGE = "screening.catalogue_manage"
    # Persons and cases
    CASE_CREATE = "case.create"
    CASE_VIEW = "case.view"
    CASE_EDIT = "case.edit"
    CASE_APPROVE = "case.approve"
    PERSON_VIEW_IDENTITY = "person.view_identity"
    PERSON_MERGE = "person.merge"
    WORKLIST_VIEW = "worklist.view"
    TEAM_WORKLIST_VIEW = "worklist.team_view"
    # Referrals and legal process
    REFERRAL_SEND = "referral.send"
    REFERRAL_RECEIVE = "referral.receive"
    REFERRAL_CONSENT_OVERRIDE = "referral.consent_override"
    LEGAL_MILESTONE_RECORD = "legal.milestone_record"
    # Labour inspection, training, baseline (next issues; declared so roles are complete)
    INSPECTION_RECORD = "inspection.record"
    INSPECTION_VIEW = "inspection.view"
    TRAINING_MANAGE = "training.manage"
    TRAINING_VIEW = "training.view"
    DIRECTORY_VIEW = "directory.view"
    DIRECTORY_MANAGE = "directory.manage"
    # Statistics and exports
    STATS_VIEW = "stats.view"
    EXPORT_AGGREGATE = "export.aggregate"
    EXPORT_IDENTIFIED = "export.identified"
    # Administration and oversight
    USER_MANAGE = "admin.user_manage"
    CONFIG_MANAGE = "admin.config_manage"
    AUDIT_VIEW = "audit.view"
    BREAK_GLASS = "audit.break_glass"
    ESCALATION_RECEIVE = "alert.escalation_receive"


@dataclass(frozen=True)
class Role:
    code: str
    label: Promise
    grants: dict[Permission, Scope] = field(default_factory=dict)
    description: Promise | str = ""

    def scope_for(self, permission: Permission) -> Scope | None:
        return self.grants.get(permission)

    @property
    def sees_identities(self) -> bool:
        return Permission.PERSON_VIEW_IDENTITY in self.grants


P, S = Permission, Scope

SUPERVISOR_GRANTS: dict[Permission, Scope] = {
    P.ALERT_VIEW: S.INSTITUTION,
    P.ALERT_TRIAGE: S.INSTITUTION,
    P.ESCALATION_RECEIVE: S.INSTITUTION,
    P.SCREENING_RUN: S.INSTITUTION,
    P.CASE_CREATE: S.INSTITUTION,
    P.CASE_VIEW: S.INSTITUTION,
    P.CASE_EDIT: S.TEAM,
    P.CASE_APPROVE: S.INSTITUTION,
    P.PERSON_VIEW_IDENTITY: S.TEAM,
    P.PERSON_MERGE: S.INSTITUTION,
    P.REFERRAL_SEND: S.TEAM,
    P.REFERRAL_RECEIVE: S.INSTITUTION,
    P.REFERRAL_CONSENT_OVERRIDE: S.INSTITUTION,
    P.WORKLIST_VIEW: S.OWN,
    P.TEAM_WORKLIST_VIEW: S.INSTITUTION,
    P.AUDIT_VIEW: S.INSTITUTION,
    P.BREAK_GLASS: S.NATIONAL,
    P.DIRECTORY_VIEW: S.NATIONAL,
}

ROLES: dict[str, Role] = {
    role.code: role
    for role in [
        Role(
            "administrator",
            _("Administrator"),
            {
                P.USER_MANAGE: S.NATIONAL,
                P.CONFIG_MANAGE: S.NATIONAL,
                P.CATALOGUE_MANAGE: S.NATIONAL,
                P.DIRECTORY_MANAGE: S.NATIONAL,
                P.DIRECTORY_VIEW: S.NATIONAL,
                P.AUDIT_VIEW: S.NATIONAL,
                P.STATS_VIEW: S.NATIONAL,
            },
            _("Institutions, users, roles, catalogues, deadlines and retention. Sees no victim identities."),
        ),
        Role(
            "duty_officer",
            _("Commission duty officer"),
            {
                P.ALERT_VIEW: S.NATIONAL,
                P.ALERT_TRIAGE: S.NATIONAL,
                P.ESCALATION_RECEIVE: S.NATIONAL,
                P.SCREENING_RUN: S.NATIONAL,
                P.DIRECTORY_VIEW: S.NATIONAL,
                P.STATS_VIEW: S.NATIONAL,
                P.WORKLIST_VIEW: S.OWN,
            },
            _("Watches the national triage queue and receives every missed deadline."),
        ),
        Role(
            "hotline_operator",
            _("Hotline operator (145)"),
            {
                P.ALERT_CREATE: S.OWN,
                P.HOTLINE_LOG: S.OWN,
                P.ALERT_VIEW: S.OWN,
                P.DIRECTORY_VIEW: S.NATIONAL,
            },
            _("Logs calls to the national line as alerts."),
        ),
        Role(
            "community_reporter",
            _("Community or municipal network member"),
            {
                P.ALERT_CREATE: S.OWN,
                P.ALERT_VIEW: S.OWN,
                P.DIRECTORY_VIEW: S.NATIONAL,
            },
            _("Submits alerts and follows their status."),
        ),
        Role(
            "eri_responder",
            _("Immediate-response team (ERI) responder"),
            {
                P.ALERT_CREATE: S.OWN,
                P.ALERT_VIEW: S.TERRITORY,
                P.ALERT_TRIAGE: S.TERRITORY,
                P.SCREENING_RUN: S.TERRITORY,
                P.CASE_CREATE: S.TEAM,
                P.CASE_VIEW: S.TEAM,
                P.CASE_EDIT: S.TEAM,
                P.PERSON_VIEW_IDENTITY: S.TEAM,
                P.REFERRAL_SEND: S.TEAM,
                P.WORKLIST_VIEW: S.OWN,
                P.DIRECTORY_VIEW: S.NATIONAL,
            },
            _("Works the triage queue, verifies, screens, opens cases and gives first care."),
        ),
        Role(
            "caseworker",
            _("Caseworker"),
            {
                P.ALERT_CREATE: S.OWN,
                P.SCREENING_RUN: S.TEAM,
                P.CASE_CREATE: S.TEAM,
                P.CASE_VIEW: S.TEAM,
                P.CASE_EDIT: S.TEAM,
                P.PERSON_VIEW_IDENTITY: S.TEAM,
                P.REFERRAL_SEND: S.TEAM,
                P.REFERRAL_RECEIVE: S.INSTITUTION,
                P.WORKLIST_VIEW: S.OWN,
                P.DIRECTORY_VIEW: S.NATIONAL,
            },
            _("Manages the cases of their team: assessments, plans, services, referrals."),
        ),
        Role(
            "supervisor",
            _("Supervisor"),
            SUPERVISOR_GRANTS,
            _("Approves plans and closures, oversees the institution's cases and its audit trail."),
        ),
        Role(
            "eri_supervisor",
            _("Immediate-response team (ERI) supervisor"),
            {
                **SUPERVISOR_GRANTS,
                # The ERI answers every alert of its territory (the whole country when it has none),
                # assigned or not, so its supervisor oversees that queue and receives its missed deadlines.
                P.ALERT_VIEW: S.TERRITORY,
                P.ALERT_TRIAGE: S.TERRITORY,
                P.ESCALATION_RECEIVE: S.TERRITORY,
                P.SCREENING_RUN: S.TERRITORY,
            },
            _("Oversees the triage queue and the ERI's cases; approves plans and closures; receives missed deadlines."),
        ),
        Role(
            "labour_inspector",
            _("Labour inspector"),
            {
                P.ALERT_CREATE: S.OWN,
                P.ALERT_VIEW: S.OWN,
                P.INSPECTION_RECORD: S.OWN,
                P.INSPECTION_VIEW: S.INSTITUTION,
                P.SCREENING_RUN: S.OWN,
                P.DIRECTORY_VIEW: S.NATIONAL,
                P.TRAINING_VIEW: S.OWN,
            },
            _("Records inspection visits with the indicator checklist; findings raise alerts."),
        ),
        Role(
            "legal_liaison",
            _("Police or prosecutor liaison"),
            {
                P.CASE_VIEW: S.TEAM,
                P.REFERRAL_RECEIVE: S.INSTITUTION,
                P.LEGAL_MILESTONE_RECORD: S.INSTITUTION,
                P.WORKLIST_VIEW: S.OWN,
                P.DIRECTORY_VIEW: S.NATIONAL,
            },
            _("Receives referrals for investigation and records legal-process milestones."),
        ),
        Role(
            "analyst",
            _("Analyst"),
            {
                P.STATS_VIEW: S.NATIONAL,
                P.EXPORT_AGGREGATE: S.NATIONAL,
                P.DIRECTORY_VIEW: S.NATIONAL,
            },
            _("Aggregated statistics and maps only; never identities."),
        ),
        Role(
            "trainer",
            _("Trainer"),
            {
                P.TRAINING_MANAGE: S.INSTITUTION,
                P.TRAINING_VIEW: S.NATIONAL,
                P.DIRECTORY_VIEW: S.NATIONAL,
            },
            _("Competency frameworks, trainings, attendance and assessments."),
        ),
    ]
}

ROLE_CHOICES = [(role.code, role.label) for role in ROLES.values()]


def role(code: str) -> Role:
    return ROLES[code]
