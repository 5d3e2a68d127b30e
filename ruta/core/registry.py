"""What the apps declare from their ``plugin.py`` (indicators, deadlines, exports, retention policies,
token rebuilders) is kept in a ``Registry``: one entry per code, across apps.

A plugin module may be imported twice, so registering an equal entry again is harmless; a different
entry under a code already taken is a configuration error, raised at start-up rather than one app
silently replacing another's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, what: str, code: Callable[[T], str]) -> None:
        self._what = what
        self._code = code
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        code = self._code(entry)
        existing = self._entries.get(code)
        if existing is not None and existing != entry:
            raise ImproperlyConfigured(f"{self._what} {code!r} is registered twice")
        self._entries[code] = entry
        return entry

    def all(self) -> list[T]:
        """In registration order."""
        return list(self._entries.values())

    def get(self, code: str) -> T | None:
        return self._entries.get(code)

    def __getitem__(self, code: str) -> T:
        return self._entries[code]
