"""Issue 20 in a real browser: staff pages on a 390 px phone and on a desktop, in Spanish, English and
French. On the phone the navigation folds into a menu, the queue's first row is above the fold and no
page scrolls sideways; the referral form, the "not found" page and the back-office are looked at too.
Screenshots in var/screenshots/staff-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

LANGUAGES = ["es", "en", "fr"]
PHONE_HEIGHT = 844
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": PHONE_HEIGHT},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 1,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Any]:
    """``open_as(user, language, device)``: a page in a fresh context holding the user's session
    (log-in and its second factor are tested with the accounts)."""
    from django.conf import settings
    from django.test import Client

    contexts = []

    def open_page(user: Any, language: str, device: dict[str, Any]) -> Any:
        context = browser.new_context(locale=language, extra_http_headers={"Accept-Language": language}, **device)
        context.set_default_timeout(15_000)
        contexts.append(context)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def staff_world(browser_world: dict[str, Any]) -> dict[str, Any]:
    from ruta.alerts.configuration import catalogue_load
    from tests.alerts.conftest import make_alert
    from tests.referrals.factories import make_case

    catalogue_load()
    alerts = [
        make_alert(municipality="0801", signals=["S06", "S11"]),
        make_alert(municipality="0501", signals=["S10"], persons=[{"age_group": "adult", "sex": "male"}]),
        make_alert(municipality="0801", signals=[], persons=[], happening_now=False),
    ]
    case = make_case(browser_world["personas"])
    # Narratives carry what people paste: an unbroken link must wrap, not widen the page.
    case.narrative = (
        "La contactaron por https://www.facebook.com/profile.php?id=100089234567890123&sk=about_contact_and_basic_info"
    )
    case.save(update_fields=["narrative"])
    return {**browser_world, "alerts": alerts, "case": case}


@pytest.fixture
def visit(open_as: Any, staff_world: dict[str, Any], live_server: Any) -> Any:
    """``visit(persona, language, device, path)``: a page signed in as that persona, at ``path``."""

    def visit_page(persona: str, language: str, device: dict[str, Any], path: str) -> Any:
        page = open_as(staff_world["personas"][persona], language, device)
        _go(page, f"{live_server.url}{path}")
        return page

    return visit_page


def _go(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _sideways(page: Any) -> int:
    """How many pixels the page would scroll sideways (0: it fits the screen)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_queue_on_a_phone(language: str, visit: Any, screenshot: Any) -> None:
    page = visit("duty_officer", language, PHONE, "/alerts/")
    assert page.locator("html").get_attribute("lang") == language
    menu, links = page.locator("button.nav-toggle"), page.locator("#site-menu")
    assert menu.is_visible() and not links.is_visible()
    first = page.locator("table.alert-queue tbody tr").first
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE_HEIGHT, box
    assert first.locator("[data-summary]").is_visible()
    assert first.locator("[data-age-groups] .badge").count() >= 1
    assert first.locator("[data-signals] abbr").count() >= 1
    assert _sideways(page) == 0
    screenshot(page, f"staff-phone-queue-{language}")
    page.screenshot(path=str(SCREENSHOTS / f"staff-phone-queue-fold-{language}.png"))  # what the eye sees first

    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and links.is_visible()
    assert links.locator("a[href='/alerts/']").is_visible()
    screenshot(page, f"staff-phone-menu-open-{language}")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not links.is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_case_and_alert_pages_never_scroll_sideways_on_a_phone(
    language: str, staff_world: dict[str, Any], visit: Any, screenshot: Any
) -> None:
    page = visit("eri_responder", language, PHONE, f"/cases/{staff_world['case'].reference}/")
    assert page.locator("main h1").is_visible()
    page.locator(".case-head details summary").click()
    assert page.get_by_text("facebook.com", exact=False).is_visible()
    assert _sideways(page) == 0
    screenshot(page, f"staff-phone-case-{language}")
    officer = visit("duty_officer", language, PHONE, f"/alerts/{staff_world['alerts'][0].reference}/")
    assert _sideways(officer) == 0
    screenshot(officer, f"staff-phone-alert-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_queue_and_navigation_on_a_desktop(
    language: str, staff_world: dict[str, Any], visit: Any, screenshot: Any
) -> None:
    page = visit("duty_officer", language, DESKTOP, "/alerts/")
    assert not page.locator("button.nav-toggle").is_visible()
    assert page.locator("#site-menu a[href='/alerts/']").is_visible()
    assert page.locator("table.alert-queue tbody tr").count() == len(staff_world["alerts"])
    assert _sideways(page) == 0
    screenshot(page, f"staff-desktop-queue-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_referral_form(device: str, language: str, staff_world: dict[str, Any], visit: Any, screenshot: Any) -> None:
    case = staff_world["case"]
    page = visit(
        "eri_responder", language, PHONE if device == "phone" else DESKTOP, f"/referrals/new/?case={case.reference}"
    )
    group = page.locator("fieldset.choice-group").filter(has=page.locator("input[name=persons]"))
    legend, checkbox = group.locator("legend").bounding_box(), group.locator("input[name=persons]").bounding_box()
    assert legend is not None and checkbox is not None and legend["y"] + legend["height"] <= checkbox["y"] + 1
    assert group.locator("input[name=persons]").is_checked()  # the case's only person
    assert _sideways(page) == 0
    screenshot(page, f"staff-{device}-referral-form-{language}")
    page.locator("main h1 a").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/cases/{case.reference}/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_case_that_is_not_yours_shows_the_plain_not_found_page(
    language: str, staff_world: dict[str, Any], live_server: Any, open_as: Any, screenshot: Any
) -> None:
    page = open_as(staff_world["personas"]["eri_responder_north"], language, PHONE)
    response = page.goto(f"{live_server.url}/cases/{staff_world['case'].reference}/")
    assert response is not None and response.status == 404
    assert page.locator("header nav").count() == 1  # the product's page, with its navigation
    assert page.locator("main h1").count() == 1
    assert _sideways(page) == 0
    screenshot(page, f"staff-phone-not-found-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_administration_is_in_the_navigation_and_edits_labels_per_language(
    language: str, live_server: Any, visit: Any, screenshot: Any
) -> None:
    from ruta.alerts.models import CommunitySignal, PriorityLevel

    page = visit("administrator", language, DESKTOP, "/")
    page.locator("#site-menu a[href='/admin/']").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/admin/")
    screenshot(page, f"staff-desktop-admin-index-{language}")
    signal = CommunitySignal.objects.get(code="S06")
    _go(page, f"{live_server.url}/admin/alerts/communitysignal/{signal.pk}/change/")
    assert page.locator("textarea[name=labels]").count() == 0
    for code in LANGUAGES:
        assert page.locator(f"input[name=label_{code}]").is_visible()
    screenshot(page, f"staff-desktop-admin-signal-{language}")
    level = PriorityLevel.objects.get(code="P1")
    _go(page, f"{live_server.url}/admin/alerts/prioritylevel/{level.pk}/change/")
    assert page.locator("input[name=acknowledge_within_0]").is_visible()
    assert page.locator("select[name=acknowledge_within_1]").is_visible()
    screenshot(page, f"staff-desktop-admin-deadlines-{language}")
