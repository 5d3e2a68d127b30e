"""Statistics in the browser: the commission's analyst opens the national dashboard, filters it,
sees the department map, builds and downloads the monthly report; a territorial analyst sees only
their department, with small cells suppressed. Screenshots in var/screenshots/statistics-*.png
(desktop and 390 px).

The HTCDS export's page is the lead's (``ruta.statistics.htcds_urls``); while it has no page, that
step is left out here."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.demo.personas import DEMO_PASSWORD
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
PERIOD = "since=2026-01-01&until=2026-04-30"
PHONE = {"width": 390, "height": 844}


def _seed(browser_world: Any) -> None:
    from tests.statistics.factories import seed_statistics

    seed_statistics(browser_world["personas"])


def _map_drawn(page: Any) -> None:
    page.wait_for_selector("#statistics-map[data-ready=true]")
    assert page.locator("#statistics-map path.leaflet-interactive").count() >= 18
    assert "geoBoundaries" in page.locator("#statistics-map .leaflet-control-attribution").inner_text()


def test_the_analyst_filters_the_national_dashboard_and_downloads_the_monthly_report(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    from ruta.statistics import reports
    from ruta.statistics.models import StatisticsReport

    _seed(browser_world)
    page = page_factory(locale="en")
    log_in(page, live_server, "analista", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/statistics/?{PERIOD}&by=department")
    assert page.locator("h1").inner_text() == "National statistics"
    _map_drawn(page)
    assert page.locator("[data-testid=figure]").count() >= 14
    assert page.locator("canvas[data-chart='alerts.received']").is_visible()
    assert page.locator("[data-testid=list-behind]").count() == 0  # an analyst opens no list
    screenshot(page, "statistics-national")

    page.select_option("select[name=by]", "priority")
    page.select_option("select[name=channel]", "hotline")
    page.click("[data-testid=statistics-filters] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "channel=hotline" in page.url
    received = page.locator("[data-code='alerts.received']")
    assert received.locator("tbody tr").count() >= 1
    assert received.locator("th", has_text="Priority").count() == 1
    _map_drawn(page)
    screenshot(page, "statistics-national-filtered")

    page.goto(f"{live_server.url}/statistics/reports/")
    page.select_option("select[name=period]", "monthly")
    page.fill("input[name=day]", "2026-03-15")
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_selector("[data-testid=report-progress] progress")
    report = StatisticsReport.objects.get()
    reports.build_now(report)  # the worker's job, run here
    page.wait_for_selector("[data-testid=download-pdf]", timeout=20_000)  # htmx polling shows the files
    screenshot(page, "statistics-report")
    with page.expect_download() as download:
        page.click("[data-testid=download-pdf]")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/statistics/?{PERIOD}")
    _map_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(page, "statistics-national-390")


def test_a_territorial_analyst_sees_only_their_department_with_suppression(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    _seed(browser_world)
    page = page_factory(locale="en")
    log_in(page, live_server, "analista.atlantida", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/statistics/?{PERIOD}&by=priority")
    assert page.locator("h1").inner_text() == "Statistics of your department"
    assert page.locator("[data-testid=protection-note]").is_visible()
    suppressed = page.locator("[data-testid=figure] .suppressed")
    assert suppressed.count() >= 1  # shown as “< 11”, not left out
    assert "< 11" in suppressed.first.inner_text()
    rows = [text.strip() for text in page.locator("[data-testid=map-table] th").all_text_contents()]
    assert rows in ([], ["Atlántida"])
    assert page.locator("select[name=department]").count() == 0
    screenshot(page, "statistics-territorial")
    page.set_viewport_size(PHONE)
    page.reload()
    _map_drawn(page)
    screenshot(page, "statistics-territorial-390")
    page.goto(f"{live_server.url}/statistics/?{PERIOD}&department=08")
    assert "Francisco Morazán" not in page.locator("main").inner_text()
