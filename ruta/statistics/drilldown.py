"""The list behind a figure: the existing alert queue or case list, filtered like the figure, for
those allowed to see those lists (the lists themselves only show what each reader may reach)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from ruta.alerts.permissions import AlertPermission
from ruta.cases.permissions import CasePermission
from ruta.policy.access import Reader, has_perm
from ruta.policy.permissions import Permission


@dataclass(frozen=True)
class ListBehind:
    url_name: str
    permission: Permission
    # Figure dimensions the list can filter by, under the list's own parameter names.
    filters: Mapping[str, str]
    fixed: Mapping[str, str]
    period: tuple[str, str] | None = None


LISTS: dict[str, ListBehind] = {
    "alerts.received": ListBehind(
        "alerts:queue", AlertPermission.VIEW, {"priority": "priority", "department": "department"}, {"status": "all"}
    ),
    "cases.opened": ListBehind(
        "cases:list",
        CasePermission.VIEW,
        {"stage": "stage", "exploitation": "exploitation", "department": "department"},
        {},
        ("opened_from", "opened_to"),
    ),
}


def list_url(
    user: Reader, code: str, *, where: Mapping[str, str], since: date | None = None, until: date | None = None
) -> str | None:
    """The filtered list behind indicator ``code``, or None (no list, or the reader may not see it)."""
    behind = LISTS.get(code)
    if behind is None or not has_perm(user, behind.permission):
        return None
    params = dict(behind.fixed)
    for dimension, value in where.items():
        if dimension not in behind.filters:
            return None  # the list cannot show exactly this figure's records
        params[behind.filters[dimension]] = value
    if behind.period and since and until:
        params[behind.period[0]], params[behind.period[1]] = since.isoformat(), until.isoformat()
    return f"{reverse(behind.url_name)}?{urlencode(params)}"
