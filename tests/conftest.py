"""Shared fixtures: reference data, one user per persona, API clients."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ruta.demo.institutions import seed_institutions
from ruta.demo.personas import PERSONAS, seed_personas
from ruta.geo.services import geography_load


@pytest.fixture
def reference_data(db: Any) -> dict[str, Any]:
    """Geography and the real institutions with the service catalogue."""
    geography_load()
    return seed_institutions()


@pytest.fixture
def personas(reference_data: dict[str, Any]) -> dict[str, Any]:
    """Users by persona key (one per role plus variants), with their memberships."""
    return seed_personas()


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
