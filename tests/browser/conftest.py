"""Browser tests: Playwright (Python) driving Debian's chromium against the live test server.

No browser is downloaded: `make test` installs Debian's chromium and we point Playwright at it.
Screenshots land in var/screenshots/ so people can look at what a user sees."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Django refuses synchronous ORM calls from an event loop; Playwright's sync API runs one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser: Any) -> Iterator[Any]:
    """``page_factory(locale="es", mobile=False)`` opens a fresh context (own cookies) and page."""
    contexts = []

    def open_page(locale: str = "es", mobile: bool = False, offline: bool = False) -> Any:
        options: dict[str, Any] = {"locale": locale, "extra_http_headers": {"Accept-Language": locale}}
        if mobile:
            options.update(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if offline:
            context.set_offline(True)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot() -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def browser_world(transactional_db: Any) -> dict[str, Any]:
    """Reference data and personas in a database the live server thread can see."""
    from ruta.demo.institutions import seed_institutions
    from ruta.demo.personas import seed_personas
    from ruta.geo.services import geography_load

    geography_load()
    seed_institutions()
    return {"personas": seed_personas()}


def log_in(page: Any, live_server: Any, username: str, password: str) -> None:
    """Log in through the real two-step form. Users who must use a second factor are handled like a
    person with an authenticator app: at first log-in the helper reads the key shown on the enrolment
    page and types the current code (then continues past the recovery codes); afterwards it types
    the current code of the enrolled device (see tests/accounts/totp.py)."""
    from django.contrib.auth import get_user_model

    from tests.accounts.totp import code_for_secret, fresh_code

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/accounts/login/enrol/" in page.url:
        secret = page.locator("[data-testid=totp-secret]").inner_text().strip()
        page.fill("input[name=code]", code_for_secret(secret))
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
        if "/accounts/security/recovery-codes/" in page.url:
            page.click("main a[role=button]")
            page.wait_for_load_state("networkidle")
    elif "/accounts/login/verify/" in page.url:
        user = get_user_model().objects.get(username=username)
        page.fill("input[name=code]", fresh_code(user))
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
