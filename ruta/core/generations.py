"""Configuration read on every request but edited a few times a year (community signals, priority
rules and levels, …) is kept in memory per process and reloaded only when its *generation* moves.

The generation is a row rewritten in the same transaction as the edit. A rolled-back edit
therefore never moves it, and another process sees the new value exactly when the new rows become
visible to it; checking it costs one single-row primary-key read instead of reloading whole tables
and building their model instances on every request. Each new generation is a random number, not
a count: a wiped database (``flush``) starting again could otherwise hand out a generation some
process still remembers with other data."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connection, models
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_TABLE = "core_configurationgeneration"
_REGISTERED: list[str] = []


def current(*names: str) -> tuple[int, ...]:
    """The committed (or this transaction's own) generation of each name; 0 before its first edit."""
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, generation FROM {_TABLE} WHERE name IN ({placeholders})", names)  # noqa: S608
        found = dict(cursor.fetchall())
    return tuple(int(found.get(name, 0)) for name in names)


def bump(name: str) -> None:
    """Move ``name`` to a new generation; call it inside the transaction that changes the data."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_TABLE} (name, generation) VALUES (%s, %s) "  # noqa: S608 - fixed table
            "ON CONFLICT (name) DO UPDATE SET generation = excluded.generation",
            [name, secrets.randbits(62) + 1],
        )


def track(name: str, *tracked: type[models.Model]) -> None:
    """Bump ``name`` in the transaction of every save or delete of a ``tracked`` model, wherever it
    comes from (admin, import, shell). Bulk writes send no signal: their callers bump themselves."""

    def changed(**kwargs: object) -> None:
        bump(name)

    for model in tracked:
        uid = f"generation-{name}-{model._meta.label_lower}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


def bump_all() -> None:
    """After ``migrate`` or ``flush``: data migrations write catalogues without any model signal."""
    for name in _REGISTERED:
        bump(name)


class Generational(Generic[T]):
    """``loader()``'s result, remembered per process and database until a generation of ``names`` moves.

    The generation is read *before* the data: data loaded after it are at least as new, so the
    worst a concurrent edit can cause is one extra reload, never a stale value kept."""

    def __init__(self, names: tuple[str, ...], loader: Callable[[], T]) -> None:
        self.names = names
        self.loader = loader
        self._memo: dict[str, tuple[tuple[int, ...], T]] = {}
        _REGISTERED.extend(name for name in names if name not in _REGISTERED)

    def get(self) -> T:
        database = str(connection.settings_dict["NAME"])
        generation = current(*self.names)
        memo = self._memo.get(database)
        if memo is not None and memo[0] == generation:
            return memo[1]
        value = self.loader()
        self._memo[database] = (generation, value)
        return value
