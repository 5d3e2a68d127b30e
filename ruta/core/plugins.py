"""How a domain app plugs into Ruta without any central edit.

Each app listed in ``INSTALLED_APPS`` may have a ``plugin.py``. It is imported once, when Django is
ready, and declares what the app brings by calling the platform's registries:

- menu entries (``ruta.core.navigation.menu_entry``) and work-list providers (``ruta.core.worklist``);
- its pages and API routes (``mount_pages`` and ``mount_api`` below);
- its permissions (its own ``permissions.py``) and the roles' grants of them
  (``ruta.policy.roles.grant_table``), and its access rules (``ruta.policy.access.register``);
- retention rules and exportable datasets (``ruta.security.retention`` and ``ruta.security.exports``);
- search-token rebuilders (``ruta.security.keys.register_token_rebuilder``);
- deadlines (``ruta.deadlines.registry.register_deadline``);
- statistics indicators (``ruta.core.indicators.register_indicator``);
- default catalogues refilled after a wipe (``ruta.core.defaults.default_catalogue``) and safeguards
  ``flush`` lifts (``ruta.core.flush.lift_for_flush``);
- demo data: a ``demo.py`` with ``seed(users)`` (found by ``ruta.demo``).

Adding a module is then: a new folder, one line in ``INSTALLED_APPS``. See docs/architecture.md."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Mount:
    prefix: str
    module: str


_PAGES: list[Mount] = []
_API: list[str] = []


def mount_pages(prefix: str, module: str) -> None:
    """Serve the URLconf ``module`` under ``/prefix`` (``""`` for the site root)."""
    mount = Mount(prefix, module)
    if mount not in _PAGES:
        _PAGES.append(mount)


def mount_api(module: str) -> None:
    """Serve the URLconf ``module`` under ``/api/v1/`` (it is part of the API's OpenAPI schema)."""
    if module not in _API:
        _API.append(module)


def page_mounts() -> list[Mount]:
    return list(_PAGES)


def api_modules() -> list[str]:
    return list(_API)


def load_plugins() -> None:
    """Import every installed app's ``plugin`` module (in ``INSTALLED_APPS`` order)."""
    autodiscover_modules("plugin")
