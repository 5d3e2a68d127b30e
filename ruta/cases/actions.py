"""Actions other apps offer on a case's page ("Refer to another institution"), contributed from
their ``plugin.py``: cases sits below them and knows nothing of their pages or permissions."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode

from ruta.accounts.models import User
from ruta.cases.models import Case
from ruta.policy import access
from ruta.policy.permissions import Permission


@dataclass(frozen=True)
class CaseAction:
    url_name: str  # the page, opened with ``?case=<reference>``
    label: Promise
    permission: Permission  # offered to those whose grant of it reaches the case


@dataclass(frozen=True)
class OfferedAction:
    url: str
    label: Promise


_ACTIONS: list[CaseAction] = []


def case_action(action: CaseAction) -> None:
    """Offer ``action`` on open cases' pages (once; a second call with the same URL name replaces it)."""
    _ACTIONS[:] = [existing for existing in _ACTIONS if existing.url_name != action.url_name]
    _ACTIONS.append(action)


def case_actions_for(user: User, case: Case) -> list[OfferedAction]:
    return [
        OfferedAction(f"{reverse(action.url_name)}?{urlencode({'case': case.reference})}", action.label)
        for action in _ACTIONS
        if access.has_perm(user, action.permission)
        and access.visible(user, action.permission, Case.objects.filter(pk=case.pk)).exists()
    ]
