"""Seeding realistic demo data: geography, institutions, personas, then each domain app's own demo
records (a ``demo.py`` module with ``seed(users)`` in the app). Every step is idempotent."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import transaction

from ruta.core import rollups
from ruta.demo.institutions import seed_institutions
from ruta.demo.personas import seed_personas
from ruta.geo.services import geography_load


def _domain_seeders() -> list[tuple[str, Callable[[dict[str, Any]], Any]]]:
    seeders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ruta.") or config.label == "demo":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        seeders.append((config.label, module.seed))
    return seeders


@transaction.atomic
def demo_seed() -> dict[str, Any]:
    geography = geography_load()
    institutions = seed_institutions()
    users = seed_personas()
    summary: dict[str, Any] = {
        "departments": geography.departments,
        "municipalities": geography.municipalities,
        "institutions": len(institutions),
        "users": len(users),
    }
    for label, seed in _domain_seeders():
        summary[label] = seed(users)
    # Some demo records are written in bulk (no signals): the monthly rollups are recounted.
    rollups.refresh(full=True)
    return summary
