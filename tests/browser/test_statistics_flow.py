"""Statistics in the browser: the commission's analyst opens the national dashboard, filters it,
sees the department map, builds and downloads the monthly report, and goes from the dashboard to
the HTCDS export, has it built and downloads it as CSV and XLSX; a territorial analyst sees only
their department, with small cells suppressed, and is not offered the export. Screenshots in
var/screenshots/statistics-*.png (desktop and 390 px)."""

from __future__ import annotations

import csv
from collections import Counter
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml

from ruta.demo.personas import DEMO_PASSWORD
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
PERIOD = "since=2026-01-01&until=2026-04-30"
PHONE = {"width": 390, "height": 844}
QUASI_IDENTIFIERS = ("prs_Gender", "prs_Citizenship", "vic_AgeWhenTrafficked", "hte_State", "hte_City", "hte_Date")


def _seed(browser_world: Any) -> Any:
    from tests.statistics.factories import seed_statistics

    return seed_statistics(browser_world["personas"])


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
    assert page.locator("[data-testid=htcds-link]").count() == 0  # registrations are for national readers
    screenshot(page, "statistics-territorial")
    page.set_viewport_size(PHONE)
    page.reload()
    _map_drawn(page)
    screenshot(page, "statistics-territorial-390")
    page.goto(f"{live_server.url}/statistics/?{PERIOD}&department=08")
    assert "Francisco Morazán" not in page.locator("main").inner_text()


# Statistics consent of each seeded victim, in turn: most gave it, one refused, one consented to
# case work only.
CONSENTS = (
    ("statistics", True),
    ("statistics", True),
    ("statistics", False),
    ("statistics", True),
    ("case_work", True),
)


def _consents(seeded: Any, actor: Any) -> list[Any]:
    """Each seeded person becomes their case's presumed victim with a recorded consent; returns the
    cases the export should cover: consent for statistics in force, real (not demonstration) data."""
    from ruta.cases.models import CasePerson, CasePersonRole, Consent

    covered = []
    for number, (case, person) in enumerate(zip(seeded.cases, seeded.persons, strict=True)):
        purpose, granted = CONSENTS[number % len(CONSENTS)]
        CasePerson.objects.create(case=case, person=person, role=CasePersonRole.PRESUMED_VICTIM)
        Consent.objects.create(
            case=case, person=person, purpose=purpose, granted=granted, recorded_by=actor, recorded_at=case.opened_at
        )
        if purpose == "statistics" and granted and not case.is_synthetic:
            covered.append(case)
    return covered


def _htcds_names() -> set[str]:
    from ruta.statistics.htcds import FIELDS_FILE

    document = yaml.safe_load(FIELDS_FILE.read_text(encoding="utf-8"))
    return {item["name"] for section in document["sections"] for item in section.get("fields") or []}


def _build_and_download(page: Any, fmt: str, screenshot: Any) -> tuple[Any, Path]:
    """Ask for an export in ``fmt`` on the list page, run the worker's job, download the file."""
    from django.db import transaction

    from ruta.statistics.htcds_exports import htcds_build
    from ruta.statistics.models import HtcdsExport

    page.select_option("select[name=fmt]", fmt)
    page.fill("input[name=purpose]", "Informe anual al CTDC")
    page.click("[data-testid=htcds-form] button[type=submit]")
    page.wait_for_selector("[data-testid=htcds-progress] progress")
    assert page.locator("[data-testid=download-htcds]").count() == 0  # nothing offered before it is built
    export = HtcdsExport.objects.get(fmt=fmt)
    with transaction.atomic():  # the worker's job, run here as the job runs it
        htcds_build(export.pk)
    page.wait_for_selector("[data-testid=download-htcds]", timeout=20_000)  # htmx polling shows the file
    export.refresh_from_db()
    assert f"{export.rows} registrations exported" in page.locator("[data-testid=htcds-progress]").inner_text()
    screenshot(page, f"statistics-htcds-export-{fmt}")
    with page.expect_download() as download:
        page.click("[data-testid=download-htcds]")
    assert download.value.suggested_filename.endswith(f".{fmt}")
    return export, Path(download.value.path())


def test_the_analyst_goes_from_the_dashboard_to_the_htcds_export_and_downloads_it(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    from openpyxl import load_workbook

    covered = _consents(_seed(browser_world), browser_world["personas"]["eri_responder"])
    page = page_factory(locale="en")
    log_in(page, live_server, "analista", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/statistics/?{PERIOD}")
    page.click("[data-testid=htcds-link]")
    assert page.url == f"{live_server.url}/statistics/htcds/"
    assert page.locator("h1").inner_text() == "HTCDS export"

    export, path = _build_and_download(page, "csv", screenshot)
    with open(path, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    names = _htcds_names()
    assert header and not set(header) - names, set(header) - names
    identity = {"prs_FirstName", "prs_Birthdate", "prs_IdentityNumber", "prs_MobilePhone", "prs_MailingStreet"}
    assert identity <= names and not identity & set(header)
    # One row per covered victim, but for those left out so that nobody stands out: every
    # combination of the quasi-identifiers left is shared by at least k rows.
    assert len(rows) == export.rows > 0
    assert export.rows + export.suppressed == len(covered)
    quasi = [header.index(name) for name in QUASI_IDENTIFIERS]
    assert min(Counter(tuple(row[i] for i in quasi) for row in rows).values()) >= export.k
    assert {row[header.index("con_Consent")] for row in rows} == {"true"}

    page.goto(f"{live_server.url}/statistics/htcds/")
    xlsx, path = _build_and_download(page, "xlsx", screenshot)
    sheet = load_workbook(BytesIO(path.read_bytes())).active  # the download's path has no extension
    table = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert table[0] == header and len(table) - 1 == xlsx.rows == export.rows

    page.goto(f"{live_server.url}/statistics/htcds/")
    assert page.locator("[data-testid=htcds-form] + .table-wrap tbody tr").count() == 2
    screenshot(page, "statistics-htcds-list")
    page.set_viewport_size(PHONE)
    for url, name in (
        ("/statistics/htcds/", "statistics-htcds-list-390"),
        (f"/statistics/htcds/{export.pk}/", "statistics-htcds-export-390"),
    ):
        page.goto(f"{live_server.url}{url}")
        screenshot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, url
    # The list's every column fits on the phone, none hidden behind a sideways scroll.
    page.goto(f"{live_server.url}/statistics/htcds/")
    assert page.locator(".table-wrap").evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")
