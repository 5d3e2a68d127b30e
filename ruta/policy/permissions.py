"""Permissions are declared by the app that owns them, once, with a label people read.

A permission is its code ("alert.view"): a ``str`` subclass, so it is stored, compared and looked up
as the code. ``declare`` registers it; declaring one code twice is a programming error. Apps group
their permissions in a namespace class in their ``permissions.py`` (``AlertPermission.VIEW``)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Permission(str):
    """One permission: its code, and a label for the role table and the administration pages."""

    label: Promise | str

    def __new__(cls, code: str, label: Promise | str = "") -> Permission:
        permission = super().__new__(cls, code)
        permission.label = label or code
        return permission


_DECLARED: dict[str, Permission] = {}


def declare(code: str, label: Promise | str) -> Permission:
    """Register a permission; its code must be unique across all apps."""
    if code in _DECLARED:
        raise ImproperlyConfigured(f"permission {code!r} is declared twice")
    permission = Permission(code, label)
    _DECLARED[code] = permission
    return permission


def declared() -> list[Permission]:
    return sorted(_DECLARED.values())


def lookup(code: str) -> Permission | None:
    return _DECLARED.get(code)


class PlatformPermission:
    """Permissions of the platform itself: administration, oversight, statistics and exports."""

    USER_MANAGE = declare("admin.user_manage", _("Manage users and memberships"))
    CONFIG_MANAGE = declare("admin.config_manage", _("Change configuration (deadlines, rules, retention)"))
    AUDIT_VIEW = declare("audit.view", _("Read the audit trail"))
    BREAK_GLASS = declare("audit.break_glass", _("Open one record outside one's scope (emergency access)"))
    ESCALATION_RECEIVE = declare("alert.escalation_receive", _("Receive escalations of missed deadlines"))
    WORKLIST_VIEW = declare("worklist.view", _("See one's own work list"))
    TEAM_WORKLIST_VIEW = declare("worklist.team_view", _("See the team's work list"))
    STATS_VIEW = declare("stats.view", _("See statistics"))
    EXPORT_AGGREGATE = declare("export.aggregate", _("Download aggregated exports"))
    EXPORT_IDENTIFIED = declare("export.identified", _("Download exports with identities"))
