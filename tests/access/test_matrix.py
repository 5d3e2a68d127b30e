from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ruta.demo.personas import PERSONAS
from tests.access.harness import ANONYMOUS, EVERYONE, Route, all_routes, db_fingerprint

# URL names that are infrastructure, not application pages.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT = {"set_language", "javascript-catalog"}

ROUTES = all_routes()
SUBJECTS = [ANONYMOUS] + [persona.key for persona in PERSONAS]


def _named_patterns(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_pattern_has_a_matrix_entry() -> None:
    declared = {route.name for route in ROUTES}
    missing = sorted(
        name
        for name in _named_patterns(get_resolver())
        if name not in declared and name not in EXEMPT and not name.startswith(EXEMPT_PREFIXES)
    )
    assert not missing, f"routes without an access-matrix entry: {missing}"


def test_matrix_entries_name_real_routes() -> None:
    existing = _named_patterns(get_resolver())
    assert not [route.name for route in ROUTES if route.name not in existing]


def _expected_ok(route: Route, subject: str) -> bool:
    if subject == ANONYMOUS:
        return route.public
    return route.public or EVERYONE in route.allowed or subject in route.allowed


class _Undo(Exception):
    """Raised at the end of each subject's turn so its writes roll back before the next one."""


@pytest.mark.parametrize("route", ROUTES, ids=[route.id for route in ROUTES])
def test_route_access(route: Route, personas: dict[str, Any], client: Any) -> None:
    """Every subject in turn against one world: each turn runs in a savepoint rolled back afterwards,
    so an allowed write never changes what the next subject meets (and the world is built once)."""
    world: dict[str, Any] = {"personas": personas}
    if route.world:
        world.update(route.world(personas))
    url = reverse(route.name, kwargs=route.kwargs(world) if route.kwargs else None)
    failures = []
    for subject in SUBJECTS:
        try:
            with transaction.atomic():
                _check_subject(route, subject, world, url, personas, client)
                raise _Undo
        except _Undo:
            pass
        except AssertionError as failure:
            failures.append(f"{subject}: {failure}")
        client.logout()
    assert not failures, "\n".join(failures)


def _check_subject(
    route: Route, subject: str, world: dict[str, Any], url: str, personas: dict[str, Any], client: Any
) -> None:
    if subject != ANONYMOUS:
        client.force_login(personas[subject])
    before = db_fingerprint() if route.method != "GET" else None
    body = route.data(world) if route.data else {}
    if route.method == "GET":
        response = client.get(url, body, **route.extra_headers)
    elif route.is_api():
        response = client.generic(
            route.method, url, _json(body), content_type="application/json", **route.extra_headers
        )
    else:
        response = client.generic(
            route.method, url, _form(body), content_type="application/x-www-form-urlencoded", **route.extra_headers
        )

    if _expected_ok(route, subject):
        assert response.status_code in route.ok, (route.id, subject, response.status_code)
        return
    if subject == ANONYMOUS:
        if route.is_api():
            assert response.status_code in (401, 403), (route.id, response.status_code)
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (route.id, response)
    else:
        assert response.status_code == 404, (route.id, subject, response.status_code)
    if before is not None:
        assert db_fingerprint() == before, f"{route.id} as {subject} changed data although denied"


def _json(body: dict[str, Any]) -> str:
    import json

    return json.dumps(body)


def _form(body: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(body, doseq=True)
