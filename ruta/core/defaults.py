"""Default catalogues that data migrations load (signals, deadlines, closure reasons, retention…).

A full database wipe (``manage.py flush``, which transactional tests also use) empties them while
the migrations stay applied. After every ``migrate`` or ``flush`` we fill any of these catalogues
that is EMPTY again from its data migration; a catalogue an administrator has edited is never
touched. Each app names its catalogues from its ``plugin.py`` (``default_catalogue``)."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

from ruta.core import generations

# (model label, data migration module, loader function)
_CATALOGUES: list[tuple[str, str, str]] = []


def default_catalogue(label: str, migration: str, loader: str) -> None:
    """The model ``label`` ("cases.ClosureReason") is filled by ``loader`` of the data migration module
    ``migration`` (called as in a migration) whenever it is found empty."""
    if (label, migration, loader) not in _CATALOGUES:
        _CATALOGUES.append((label, migration, loader))


def default_catalogues() -> list[tuple[str, str, str]]:
    return list(_CATALOGUES)


def restore_empty_default_catalogues(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> list[str]:
    restored = []
    for label, module_name, function_name in _CATALOGUES:
        try:
            model = global_apps.get_model(label)
        except LookupError:
            continue
        if model._default_manager.using(using).exists():
            continue
        loader = getattr(importlib.import_module(module_name), function_name)
        loader(global_apps, None)
        restored.append(label)
    if restored:
        # Migration loaders write through historical models, which no cache-invalidating signal sees.
        generations.bump_all()
    return restored
