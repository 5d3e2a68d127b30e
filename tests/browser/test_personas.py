"""Every persona logs in, in Spanish and in English, and sees its own navigation."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.core.navigation import menu
from ruta.demo.personas import DEMO_PASSWORD, PRIMARY_PERSONAS
from ruta.policy.roles import ROLES
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

WELCOME = {"es": "Bienvenida", "en": "Welcome"}


def _expected_links(role_code: str) -> set[str]:
    grants = ROLES[role_code].grants
    links = set()
    for item in menu():
        wanted = item.permissions()
        if wanted is None or any(permission in grants for permission in wanted):
            links.add(item.url_name)
    return links


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("persona", PRIMARY_PERSONAS, ids=[p.key for p in PRIMARY_PERSONAS])
def test_persona_logs_in_and_sees_its_navigation(
    persona: Any, language: str, live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    from django.urls import reverse

    page = page_factory(locale=language)
    log_in(page, live_server, persona.username, DEMO_PASSWORD)
    assert page.url.rstrip("/") == live_server.url, page.url
    assert page.locator("html").get_attribute("lang") == language
    nav_hrefs = set(page.locator("header nav .nav-links a").evaluate_all("links => links.map(a => a.pathname)"))
    expected = {reverse(name) for name in _expected_links(persona.role)}
    assert nav_hrefs == expected
    assert page.locator(f"[data-role={persona.role}]").count() == 1
    screenshot(page, f"home-{persona.key}-{language}")


def test_login_page_is_spanish_by_default(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    page = page_factory(locale="es")
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Iniciar sesión" in page.locator("h1").inner_text()
    screenshot(page, "login-es")


def test_wrong_password_shows_a_translated_error(live_server: Any, browser_world: Any, page_factory: Any) -> None:
    page = page_factory(locale="en")
    log_in(page, live_server, "eri", "not-the-password")
    assert "/accounts/login/" in page.url
    assert "correct username and password" in page.locator("[role=alert]").inner_text()
