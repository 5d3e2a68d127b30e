"""What ``manage.py flush`` lifts for the wipe and puts back afterwards, as the apps declare it.

Wiping a whole database is an operator's act, not the application's: an app whose own safeguards
would refuse it (the audit trail's append-only triggers) registers, from its ``plugin.py``, how to
lift and restore them, so core's command knows nothing of that app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Guard = Callable[[Any], None]  # called with the database connection
_GUARDS: list[tuple[Guard, Guard]] = []


def lift_for_flush(*, lift: Guard, restore: Guard) -> None:
    if (lift, restore) not in _GUARDS:
        _GUARDS.append((lift, restore))


def guards() -> list[tuple[Guard, Guard]]:
    return list(_GUARDS)
