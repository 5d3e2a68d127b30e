"""Shared fixtures: reference data, one user per persona, API clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from ruta.accounts.models import Membership
from ruta.core.defaults import restore_empty_default_catalogues
from ruta.demo.institutions import INSTITUTIONS, seed_institutions
from ruta.demo.personas import PERSONAS, seed_personas
from ruta.geo.models import Municipality
from ruta.geo.services import geography_load
from ruta.institutions.models import Institution
from ruta.screening.services import ensure_catalogue

_USERNAMES = [persona.username for persona in PERSONAS]


def _seed_reference_data() -> None:
    geography_load()
    seed_institutions()
    seed_personas()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Seed geography, institutions and personas once per test database; every test then runs in
    a transaction that rolls back to this state. (Transactional tests flush it; the fixtures below
    seed again when they find it gone.)"""
    with django_db_blocker.unblock():
        _seed_reference_data()
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    """The live server's request threads can leave their PostgreSQL sessions open, and PostgreSQL
    will not drop a test database someone is connected to."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _assertions_read_in_english(settings: Any) -> Iterator[None]:
    """Tests assert on the source language (English). The Spanish default and the shipped
    translations have their own tests in tests/foundation/test_i18n.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def reference_data(db: Any) -> dict[str, Any]:
    """Geography and the real institutions with the service catalogue, by institution code."""
    restore_empty_default_catalogues()  # a committed-data test elsewhere in this process may have wiped them
    ensure_catalogue()  # the screening lists (ILO–EC, forced labour) are reference data too
    institutions = {institution.code: institution for institution in Institution.objects.all()}
    if len(institutions) < len(INSTITUTIONS) or not Municipality.objects.exists():
        geography_load()
        institutions = seed_institutions()
    return institutions


@pytest.fixture
def personas(reference_data: dict[str, Any]) -> dict[str, Any]:
    """Users by persona key (one per role plus variants), with their memberships."""
    users = {user.username: user for user in get_user_model().objects.filter(username__in=_USERNAMES)}
    if len(users) < len(PERSONAS) or not Membership.objects.filter(user__in=users.values()).exists():
        return seed_personas()
    return {persona.key: users[persona.username] for persona in PERSONAS}


@pytest.fixture
def login(client: Client, personas: dict[str, Any]) -> Any:
    """``login("caseworker")`` signs the test client in as that persona and returns the user."""

    def sign_in(key: str) -> Any:
        user = personas[key]
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api_client: APIClient, personas: dict[str, Any]) -> Any:
    def authenticate(key: str) -> APIClient:
        api_client.force_authenticate(personas[key])
        return api_client

    return authenticate


PERSONA_KEYS = [persona.key for persona in PERSONAS]


def pytest_runtest_setup(item: pytest.Item) -> None:
    from django.conf import settings

    if item.get_closest_marker("postgres_only") and "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("PostgreSQL only (SQLite has a single writer); runs in the PostgreSQL pass of CI")
