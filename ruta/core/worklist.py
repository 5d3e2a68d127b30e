"""Work lists: each user's overdue and due-soon items, gathered from every domain (DHIS2-style).

Apps register a provider with ``@worklist_provider("name")``: a function taking the user and a
``team`` flag (True = the items of the people the user supervises) and returning ``WorkItem``s.
A provider must use a fixed, small number of queries whatever the number of items."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

DUE_SOON = timedelta(days=3)


@dataclass(frozen=True)
class WorkItem:
    kind: str
    label: str | Promise
    reference: str
    due_at: datetime | None
    url: str
    assignee: str = ""

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()

    @property
    def due_soon(self) -> bool:
        return self.due_at is not None and not self.overdue and self.due_at < timezone.now() + DUE_SOON


Provider = Callable[[Any, bool], Iterable[WorkItem]]
_PROVIDERS: dict[str, Provider] = {}


def worklist_provider(name: str) -> Callable[[Provider], Provider]:
    def register(function: Provider) -> Provider:
        _PROVIDERS[name] = function
        return function

    return register


def worklist_items(user: Any, *, team: bool = False) -> list[WorkItem]:
    """All items for ``user`` (or their team), overdue first, then by due date."""
    items = [item for provider in _PROVIDERS.values() for item in provider(user, team)]
    far_future = timezone.now() + timedelta(days=36500)
    return sorted(items, key=lambda item: (not item.overdue, item.due_at or far_future, item.reference))
