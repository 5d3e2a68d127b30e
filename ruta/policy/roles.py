"""The roles, in one table, and the grants the apps contribute to them.

A role grants permissions, each with a scope that says which records it reaches:

- ``own``: records the user created or is assigned to;
- ``team``: records whose case team the user belongs to (or that were shared with them);
- ``institution``: records of the membership's institution;
- ``territory``: records in the membership's department/municipality (no territory = the country);
- ``national``: everything.

A wider scope always includes the narrower ones. The roles themselves are listed below; each app
grants its own permissions to them from its ``plugin.py`` (``grant_table``), so a new module adds
its rows without editing this file. ``manage.py roles`` prints the whole table."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.policy.permissions import Permission, PlatformPermission


class Scope(enum.IntEnum):
    OWN = 1
    TEAM = 2
    INSTITUTION = 3
    TERRITORY = 4
    NATIONAL = 5


_GRANTS: dict[str, dict[Permission, Scope]] = {}


@dataclass(frozen=True)
class Role:
    code: str
    label: Promise
    description: Promise | str = ""

    @property
    def grants(self) -> Mapping[Permission, Scope]:
        return _GRANTS.setdefault(self.code, {})

    def scope_for(self, permission: Permission) -> Scope | None:
        return self.grants.get(permission)

    @property
    def sees_identities(self) -> bool:
        return any(code == "person.view_identity" for code in self.grants)


ROLES: dict[str, Role] = {}


def declare_role(code: str, label: Promise, description: Promise | str = "") -> Role:
    """Add a role (a module may bring its own, e.g. a network coordinator)."""
    if code in ROLES:
        raise ImproperlyConfigured(f"role {code!r} is declared twice")
    ROLES[code] = Role(code, label, description)
    return ROLES[code]


def grant_table(table: Mapping[str, Mapping[Permission, Scope]]) -> None:
    """An app's rows of the role table: ``{role code: {permission: scope}}``."""
    for code, grants in table.items():
        if code not in ROLES:
            raise ImproperlyConfigured(f"grants for unknown role {code!r}")
        for permission, scope in grants.items():
            existing = _GRANTS.setdefault(code, {}).get(permission)
            if existing is not None and existing != scope:
                raise ImproperlyConfigured(f"{code} is granted {permission} twice with different scopes")
            _GRANTS[code][permission] = scope


def roles_with(permission: Permission) -> list[str]:
    """The codes of the roles that grant ``permission`` in any scope."""
    return [code for code, role in ROLES.items() if permission in role.grants]


def role_choices() -> list[tuple[str, Promise]]:
    return [(role.code, role.label) for role in ROLES.values()]


def role(code: str) -> Role:
    return ROLES[code]


for _code, _label, _description in [
    (
        "administrator",
        _("Administrator"),
        _("Institutions, users, roles, catalogues, deadlines and retention. Sees no victim identities."),
    ),
    (
        "duty_officer",
        _("Commission duty officer"),
        _("Watches the national triage queue and receives every missed deadline."),
    ),
    ("hotline_operator", _("Hotline operator (145)"), _("Logs calls to the national line as alerts.")),
    ("community_reporter", _("Community or municipal network member"), _("Submits alerts and follows their status.")),
    (
        "eri_responder",
        _("Immediate-response team (ERI) responder"),
        _("Works the triage queue, verifies, screens, opens cases and gives first care."),
    ),
    ("caseworker", _("Caseworker"), _("Manages the cases of their team: assessments, plans, services, referrals.")),
    (
        "supervisor",
        _("Supervisor"),
        _("Approves plans and closures, oversees the institution's cases and its audit trail."),
    ),
    (
        "eri_supervisor",
        _("Immediate-response team (ERI) supervisor"),
        _("Oversees the triage queue and the ERI's cases; approves plans and closures; receives missed deadlines."),
    ),
    (
        "labour_inspector",
        _("Labour inspector"),
        _("Records inspection visits with the indicator checklist; findings raise alerts."),
    ),
    (
        "legal_liaison",
        _("Police or prosecutor liaison"),
        _("Receives referrals for investigation and records legal-process milestones."),
    ),
    ("analyst", _("Analyst"), _("Aggregated statistics and maps only; never identities.")),
    ("trainer", _("Trainer"), _("Competency frameworks, trainings, attendance and assessments.")),
]:
    declare_role(_code, _label, _description)

P, S = PlatformPermission, Scope
# The platform's own rows; each app adds its rows from its plugin.py.
grant_table(
    {
        "administrator": {
            P.USER_MANAGE: S.NATIONAL,
            P.CONFIG_MANAGE: S.NATIONAL,
            P.AUDIT_VIEW: S.NATIONAL,
            P.STATS_VIEW: S.NATIONAL,
        },
        "duty_officer": {P.ESCALATION_RECEIVE: S.NATIONAL, P.STATS_VIEW: S.NATIONAL, P.WORKLIST_VIEW: S.OWN},
        "eri_responder": {P.WORKLIST_VIEW: S.OWN},
        "caseworker": {P.WORKLIST_VIEW: S.OWN},
        "supervisor": {
            P.ESCALATION_RECEIVE: S.INSTITUTION,
            P.WORKLIST_VIEW: S.OWN,
            P.TEAM_WORKLIST_VIEW: S.INSTITUTION,
            P.AUDIT_VIEW: S.INSTITUTION,
            P.BREAK_GLASS: S.NATIONAL,
        },
        # The ERI answers every alert of its territory (the whole country when it has none), assigned
        # or not, so its supervisor receives that territory's missed deadlines.
        "eri_supervisor": {
            P.ESCALATION_RECEIVE: S.TERRITORY,
            P.WORKLIST_VIEW: S.OWN,
            P.TEAM_WORKLIST_VIEW: S.INSTITUTION,
            P.AUDIT_VIEW: S.INSTITUTION,
            P.BREAK_GLASS: S.NATIONAL,
        },
        "legal_liaison": {P.WORKLIST_VIEW: S.OWN},
        "analyst": {P.STATS_VIEW: S.NATIONAL, P.EXPORT_AGGREGATE: S.NATIONAL},
    }
)
