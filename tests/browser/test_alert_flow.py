"""The early-warning flow end to end, in a real browser: a phone reports offline, the report is sent
when back online, the ERI responder triages it, and the reporter's tracking page shows the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    """The ERI responder's role needs a second factor at log-in (tested with the accounts); here the
    session is opened the way the test client does and handed to the browser."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_offline_report_to_triage_to_tracking(
    browser_world: Any,
    live_server: Any,
    page_factory: Any,
    screenshot: Any,
) -> None:
    from ruta.alerts.configuration import catalogue_load
    from ruta.alerts.intake import tracking_hash
    from ruta.alerts.models import Alert

    catalogue_load()
    phone = page_factory(locale="es", mobile=True)
    phone.goto(f"{live_server.url}/report/")
    phone.wait_for_load_state("networkidle")
    phone.check("input[name=signals][value=S06]")
    phone.check("input[name=signals][value=S12]")
    phone.check("input[name=happening_now][value=yes]")
    phone.select_option("select[name=department]", "08")
    # The list narrows to the department (a locator wait: the page's CSP forbids eval-based polling).
    expect(phone.locator("select[name=municipality] option[value='0501']")).to_have_count(0)
    phone.select_option("select[name=municipality]", "0801")
    phone.fill("input[name=person-0-age]", "14")
    phone.select_option("select[name=person-0-sex]", "female")
    phone.click("[data-add-person]")
    phone.select_option("select[name=person-1-age_group]", "adult")
    phone.fill(
        "textarea[name=narrative]",
        "Una niña de 14 años está encerrada en un bar de la colonia; hay un adulto con ella.",
    )
    screenshot(phone, "alert-report-phone-filled")

    phone.context.set_offline(True)
    phone.click("form[data-report-form] button[type=submit]")
    status = phone.locator("#report-status")
    phone.wait_for_selector("#report-status[data-state=queued]")
    assert Alert.objects.count() == 0
    screenshot(phone, "alert-report-phone-queued")

    phone.context.set_offline(False)
    phone.wait_for_selector("#report-status[data-state=sent]")
    code = phone.locator("[data-tracking-code]").inner_text().strip()
    assert len(code.replace("-", "")) == 12
    assert "sent" in (status.get_attribute("data-state") or "")
    screenshot(phone, "alert-report-phone-sent")
    alert = Alert.objects.get(tracking_hash=tracking_hash(code))
    assert alert.priority == "P1" and alert.channel == "public_web" and alert.persons.count() == 2

    desk = page_factory(locale="en")
    _sign_in(desk, live_server, browser_world["personas"]["eri_responder"])
    desk.goto(f"{live_server.url}/alerts/")
    row = desk.locator(f"tr[data-alert='{alert.reference}']")
    assert row.locator("[data-priority]").inner_text() == "P1"
    assert row.locator("[data-ack-due] time").count() == 1
    screenshot(desk, "alert-queue-eri")

    row.locator("a").first.click()
    desk.wait_for_load_state("networkidle")
    responder = browser_world["personas"]["eri_responder"]
    desk.select_option("form[data-assign-form] select[name=responder]", str(responder.pk))
    desk.click("form[data-assign-form] button[type=submit]")
    desk.wait_for_load_state("networkidle")
    assert "Ernesto" in desk.locator("[data-assigned]").inner_text()
    desk.click("details[data-outcome=refer] summary")
    desk.select_option("details[data-outcome=refer] select[name=institution]", label="SENAF")
    desk.select_option("details[data-outcome=refer] select[name=reason]", "child_protection")
    desk.click("details[data-outcome=refer] button[type=submit]")
    desk.wait_for_load_state("networkidle")
    assert desk.locator("[data-status]").get_attribute("data-status") == "referred_elsewhere"
    screenshot(desk, "alert-detail-referred")

    phone.goto(f"{live_server.url}/track/")
    phone.fill("input[name=code]", code)
    phone.click("form button[type=submit]")
    phone.wait_for_selector("[data-public-status]")
    assert phone.locator("[data-public-status]").get_attribute("data-public-status") == "attended"
    screenshot(phone, "alert-track-phone-attended")
