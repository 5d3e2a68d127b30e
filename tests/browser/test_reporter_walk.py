"""The reporter's walk of issue 20 in a real browser, on a phone (390 px) in each language and once on
a desktop: choose a department and see only its municipalities (also with the network cut), leave
the municipality at "I don't know", send, follow the tracking link to the status. Screenshots:
var/screenshots/reporter-<width>-<lang>-<step>.png."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts = []

    def open_(language: str, device: dict[str, Any]) -> Any:
        context = browser.new_context(locale=language, extra_http_headers={"Accept-Language": language}, **device)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def _offered(page: Any) -> set[str]:
    values = page.locator("select[name=municipality] option").evaluate_all("options => options.map(o => o.value)")
    return set(values)


@pytest.mark.parametrize(
    ("width", "language"), [(390, "es"), (390, "en"), (390, "fr"), (1280, "es")], ids=lambda value: str(value)
)
def test_reporter_walk(
    browser_world: Any, live_server: Any, open_page: Any, screenshot: Any, settings: Any, width: int, language: str
) -> None:
    from ruta.alerts.configuration import catalogue_load
    from ruta.alerts.intake import tracking_hash
    from ruta.alerts.models import Alert
    from ruta.geo.models import Municipality

    catalogue_load()
    settings.MFA_ENFORCED = False  # the staff's demo notice would show, if public pages showed it
    shot = f"reporter-{width}-{language}"
    page = open_page(language, PHONE if width == 390 else DESKTOP)
    page.goto(f"{live_server.url}/report/")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("[data-demo-notice]")).to_have_count(0)
    screenshot(page, f"{shot}-form")

    def municipalities_of(department: str) -> set[str]:
        return {"", *Municipality.objects.filter(department__code=department).values_list("code", flat=True)}

    page.select_option("select[name=department]", "05")
    expect(page.locator("select[name=municipality] option[value='0801']")).to_have_count(0)
    assert _offered(page) == municipalities_of("05")

    # The network is cut after the page loaded: the list still narrows to the department chosen.
    page.context.set_offline(True)
    page.select_option("select[name=department]", "08")
    expect(page.locator("select[name=municipality] option[value='0501']")).to_have_count(0)
    assert _offered(page) == municipalities_of("08")
    screenshot(page, f"{shot}-offline-filter")
    page.context.set_offline(False)

    page.select_option("select[name=department]", "05")
    assert page.locator("select[name=municipality]").input_value() == ""  # "I don't know"
    page.check("input[name=signals][value=S06]")
    page.fill("textarea[name=narrative]", "Muchachas trabajan de noche en un bar y no las dejan salir.")
    page.click("form[data-report-form] button[type=submit]")
    page.wait_for_selector("#report-status[data-state=sent]")
    code = page.locator("[data-tracking-code]").inner_text().strip()
    screenshot(page, f"{shot}-sent")
    place = Alert.objects.values_list("municipality_id", "department__code").get(tracking_hash=tracking_hash(code))
    assert place == (None, "05")

    page.click("#report-status [data-track-form] button[type=submit]")
    page.wait_for_selector("[data-public-status]")
    assert "/track/" in page.url and code not in page.url
    assert page.locator("[data-public-status]").get_attribute("data-public-status") == "received"
    expect(page.locator("[data-demo-notice]")).to_have_count(0)
    screenshot(page, f"{shot}-status")
