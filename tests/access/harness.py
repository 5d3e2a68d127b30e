"""The permission matrix: every URL pattern of Ruta × every persona.

Each test package that owns routes declares them in a ``routes.py`` module with a ``ROUTES`` list.
``test_matrix`` fails when a URL pattern has no entry (so a new route cannot ship without its
access rule) and checks each entry for every persona: allowed personas get ``ok``; everyone else
gets 404 (signed in) or a log-in redirect / 401 (anonymous), and a denied write changes nothing."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection

import tests

ANONYMOUS = "anonymous"
EVERYONE = "*"  # every signed-in persona


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset[str] | set[str]
    method: str = "GET"
    # Builds the URL kwargs (and request body for writes) from the world fixture.
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    data: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    ok: frozenset[int] = frozenset({200})
    json: bool = False
    public: bool = False  # anonymous visitors allowed
    label: str = ""  # distinguishes several entries for one URL name
    # The world this route needs, built per test (alerts, cases...). Receives the personas.
    world: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{'[' + self.label + ']' if self.label else ''}"

    def is_api(self) -> bool:
        return self.name.startswith("api:") or self.json


def all_routes() -> list[Route]:
    routes: list[Route] = []
    for module_info in pkgutil.walk_packages(tests.__path__, prefix="tests."):
        if module_info.name.endswith(".routes"):
            module = importlib.import_module(module_info.name)
            routes.extend(module.ROUTES)
    return routes


def db_fingerprint() -> dict[str, int]:
    """Row counts of every table Ruta owns: a denied write must leave them all unchanged."""
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label in ("sessions", "audit"):
                continue  # sessions change on log-in; reads may be audited
            cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')
            counts[model._meta.db_table] = cursor.fetchone()[0]
    return counts
