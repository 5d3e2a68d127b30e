"""Test helper: give a role (new or existing) exactly these grants for one test."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from ruta.policy import roles
from ruta.policy.permissions import Permission
from ruta.policy.roles import Role, Scope


def role_with_grants(monkeypatch: pytest.MonkeyPatch, code: str, grants: Mapping[Permission, Scope]) -> Role:
    if code not in roles.ROLES:
        monkeypatch.setitem(roles.ROLES, code, Role(code, code))
    monkeypatch.setitem(roles._GRANTS, code, dict(grants))
    return roles.ROLES[code]
