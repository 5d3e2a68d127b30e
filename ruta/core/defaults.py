"""Default catalogues that data migrations load (signals, deadlines, closure reasons, retention…).

A full database wipe (``manage.py flush``, which transactional tests also use) empties them while
the migrations stay applied. After every ``migrate`` or ``flush`` we fill any of these catalogues
that is EMPTY again from its data migration; a catalogue an administrator has edited is never
touched."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

# (model label, data migration module, loader function)
DEFAULT_CATALOGUES: list[tuple[str, str, str]] = [
    ("alerts.CommunitySignal", "ruta.alerts.migrations.0002_default_catalogue", "load"),
    ("cases.ClosureReason", "ruta.cases.migrations.0004_closure_reasons", "load"),
    ("referrals.ReferralDeadlineRule", "ruta.referrals.migrations.0002_default_deadlines", "forwards"),
    ("security.RetentionRule", "ruta.security.migrations.0002_default_retention_rules", "forward"),
]


def restore_empty_default_catalogues(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> list[str]:
    restored = []
    for label, module_name, function_name in DEFAULT_CATALOGUES:
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
        from ruta.core import generations

        generations.bump_all()
    return restored
