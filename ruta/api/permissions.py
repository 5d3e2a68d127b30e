from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from ruta.policy.access import has_perm
from ruta.policy.permissions import Permission


def requires(*permissions: Permission) -> type[BasePermission]:
    """A DRF permission class: authenticated and holding any of ``permissions``; otherwise 404."""

    class HasPermission(BasePermission):
        required_permissions = permissions

        def has_permission(self, request: Request, view: Any) -> bool:
            if not request.user or not request.user.is_authenticated:
                raise exceptions.NotAuthenticated()
            if permissions and not any(has_perm(request.user, perm) for perm in permissions):
                raise exceptions.NotFound()
            return True

    HasPermission.__name__ = "Requires_" + "_or_".join(p.replace(".", "_") for p in permissions)
    return HasPermission
