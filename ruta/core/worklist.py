"""Work lists: each user's overdue and due-soon items, gathered from every domain (DHIS2-style).

Apps register a provider with ``@worklist_provider("name")``: a function taking the user and a
``team`` flag (True = the items of the people the user supervises) and returning ``WorkItem``s.
A provider must use a fixed, small number of queries whatever the number of items.

A team's list can hold thousands of items, so lists are capped: a provider registered with
``paged=True`` also takes ``limit`` and returns a ``WorkPage`` — its ``limit`` most urgent items
(earliest due first, chosen and cut in SQL) and how many it has in all (a window count in the same
query). ``worklist_items`` keeps the ``limit`` most urgent items overall; the last one carries
``remaining``, the number of items not shown."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

DUE_SOON = timedelta(days=3)
DEFAULT_LIMIT = 100  # items built and shown per list; the rest is counted ("N more")


@dataclass(frozen=True)
class WorkItem:
    kind: str
    label: str | Promise
    reference: str
    due_at: datetime | None
    url: str
    assignee: str = ""
    remaining: int = 0  # on the last item of a capped list: how many items were not shown

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()

    @property
    def due_soon(self) -> bool:
        return self.due_at is not None and not self.overdue and self.due_at < timezone.now() + DUE_SOON


@dataclass(frozen=True)
class WorkPage:
    """A paged provider's answer: its most urgent items (at most the limit) and its total.
    Iterates over its items, like an unpaged provider's answer."""

    items: list[WorkItem]
    total: int

    def __iter__(self) -> Iterator[WorkItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class WorkList(list[WorkItem]):
    """The items shown (a list, as before) and how many there are in all."""

    total: int = 0

    @property
    def more(self) -> int:
        return max(0, self.total - len(self))


Provider = Callable[..., Iterable[WorkItem] | WorkPage]
_PROVIDERS: dict[str, Provider] = {}
_PAGED: set[str] = set()


def worklist_provider(name: str, *, paged: bool = False) -> Callable[[Provider], Provider]:
    def register(function: Provider) -> Provider:
        _PROVIDERS[name] = function
        if paged or "limit" in inspect.signature(function).parameters:
            _PAGED.add(name)
        else:
            _PAGED.discard(name)
        return function

    return register


def _sort_key(far_future: datetime) -> Callable[[WorkItem], tuple[bool, datetime, str]]:
    return lambda item: (not item.overdue, item.due_at or far_future, item.reference)


def worklist_items(user: Any, *, team: bool = False, limit: int | None = DEFAULT_LIMIT) -> WorkList:
    """The ``limit`` most urgent items for ``user`` (or their team), overdue first, then by due
    date (``limit=None``: all of them). ``.total`` counts every item; the last item shown carries
    ``remaining`` when some were left out."""
    items: list[WorkItem] = []
    total = 0
    for name, provider in _PROVIDERS.items():
        if name in _PAGED:
            page = provider(user, team, limit=limit)
            if not isinstance(page, WorkPage):
                raise TypeError(f"work-list provider {name} is paged and must return a WorkPage")
            items += page.items
            total += page.total
        else:
            found = list(provider(user, team))  # type: ignore[arg-type]
            items += found
            total += len(found)
    items.sort(key=_sort_key(timezone.now() + timedelta(days=36500)))
    result = WorkList(items if limit is None else items[:limit])
    result.total = total
    if result.more and result:
        result[-1] = replace(result[-1], remaining=result.more)
    return result


def page_total(rows: list[Any], limit: int | None) -> int:
    """The total of a paged provider's query: the window count its rows carry (``total``, from
    ``COUNT(*) OVER ()``), or the number of rows when the query was not cut (``limit`` None)."""
    if not rows:
        return 0
    return int(rows[0].total) if limit is not None else len(rows)
