"""What every network service checks: the refusal type, and whether a grant reaches a place."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from ruta.geo.models import Municipality
from ruta.policy import access
from ruta.policy.permissions import Permission
from ruta.policy.roles import Scope


class NetworkError(Exception):
    """A refused change, with a stable code, a translated message and the field it concerns."""

    def __init__(self, code: str, message: Any, field: str = "non_field_errors") -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def reaches_place(user: access.Reader, permission: Permission, municipality: Municipality) -> bool:
    """Whether ``user`` may act with ``permission`` in ``municipality``: a national grant, a grant
    without territory, or one whose department or municipality holds it. Community members (an
    ``own`` grant) act within their membership's territory too."""
    for grant in access.grants(user, permission):
        if grant.scope == Scope.NATIONAL:
            return True
        if grant.department_id is None and grant.municipality_id is None:
            return True
        if grant.municipality_id == municipality.pk:
            return True
        if grant.municipality_id is None and grant.department_id == municipality.department_id:
            return True
    return False
