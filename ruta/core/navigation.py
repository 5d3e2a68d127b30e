"""The navigation, by permission: a user sees the entries their roles grant, nothing else.

Apps add their entries from their ``plugin.py`` with ``menu_entry``; ``order`` places them (lower
first), so the menu reads the same whatever order the apps are installed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from ruta.policy.access import has_perm
from ruta.policy.permissions import Permission


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    # Shown to holders of any of these permissions; None = every signed-in user. A callable gives
    # them when the menu is built, for a page whose permissions other apps contribute (exports).
    permission: Permission | tuple[Permission, ...] | Callable[[], tuple[Permission, ...]] | None
    description: Promise
    order: int = 500

    def permissions(self) -> tuple[Permission, ...] | None:
        """The permissions any of which shows the entry; None when every signed-in user sees it."""
        if self.permission is None:
            return None
        if isinstance(self.permission, tuple):
            return self.permission
        if isinstance(self.permission, str):
            return (self.permission,)
        return self.permission()

    def visible_to(self, user: Any) -> bool:
        wanted = self.permissions()
        return wanted is None or any(has_perm(user, permission) for permission in wanted)


_MENU: list[NavItem] = []


def menu_entry(item: NavItem) -> None:
    """Add an entry to the navigation (once; a second call with the same URL name replaces it)."""
    _MENU[:] = [existing for existing in _MENU if existing.url_name != item.url_name]
    _MENU.append(item)
    _MENU.sort(key=lambda entry: entry.order)


def menu() -> list[NavItem]:
    return list(_MENU)


def navigation_for(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [{"url": reverse(item.url_name), "item": item} for item in _MENU if item.visible_to(user)]
