"""A person adds a security key and logs in with it, in a real browser: Chromium's virtual
authenticator (DevTools protocol, WebAuthn domain) plays the key; @simplewebauthn/browser and
ruta/static/js/accounts/security_keys.js run as served, under the strict CSP."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.demo.personas import DEMO_PASSWORD
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_person_adds_a_security_key_and_logs_in_with_it(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any, settings: Any
) -> None:
    from ruta.accounts.models import WebAuthnCredential

    assert "://localhost:" in live_server.url
    settings.WEBAUTHN_RP_ID = "localhost"  # the live server's host (tests default to "testserver")
    user = browser_world["personas"]["caseworker"]
    page = page_factory(locale="en")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    log_in(page, live_server, user.username, DEMO_PASSWORD)  # links an authenticator app first
    page.goto(f"{live_server.url}/accounts/security/")
    page.click("a[href$='/accounts/security/keys/add/']")
    page.fill("input[name=name]", "work laptop")
    screenshot(page, "security-key-add")
    page.click("[data-testid=security-key-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/security/")
    assert "work laptop" in page.locator("[data-testid=security-keys]").inner_text()
    credential = WebAuthnCredential.objects.get(user=user)
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(stored) == 1
    assert stored[0]["credentialId"].rstrip("=").replace("+", "-").replace("/", "_") == credential.credential_id

    page.click("header form[action$='/accounts/logout/'] button")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/login/verify/")
    button = page.locator("button[data-security-key=authenticate]")
    assert button.is_visible()
    screenshot(page, "security-key-verify")
    button.click()
    page.wait_for_url(f"{live_server.url}/")
    credential.refresh_from_db()
    assert credential.last_used_at is not None
    assert (
        credential.sign_count
        == cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"][0]["signCount"]
    )
    assert not [text for text in errors if "Content Security Policy" in text], errors
