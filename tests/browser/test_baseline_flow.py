"""The baseline study in the browser, end to end: the coordinator imports an XLSForm, an enumerator
fills it twice on a phone, the coordinator imports a KoBoToolbox export, records a two-day workshop
(participants, sign-in, a group's output), scores two institutions at baseline and endline, sees the
comparison charts and downloads the round's report once the worker has built it.
Screenshots in var/screenshots/baseline-*.png."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

SURVEY = [
    ["type", "name", "label", "required"],
    ["text", "institution", "Institución", "yes"],
    ["integer", "trained_staff", "Personal capacitado", "yes"],
    ["select_one yes_no", "has_protocol", "¿Tiene protocolo de atención?", "yes"],
]
CHOICES = [["list_name", "name", "label"], ["yes_no", "yes", "Sí"], ["yes_no", "no", "No"]]
SETTINGS = [["form_title", "form_id", "version"], ["Capacidad institucional", "capacidad_2019", "2019-03"]]
KOBO_HEADER = [
    "institution",
    "trained_staff",
    "has_protocol",
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_index",
]


def _xlsform() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheets = [workbook.active, workbook.create_sheet("choices"), workbook.create_sheet("settings")]
    for sheet, title, rows in zip(sheets, ("survey", "choices", "settings"), (SURVEY, CHOICES, SETTINGS), strict=True):
        assert sheet is not None
        sheet.title = title
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _kobo_export() -> bytes:
    """Two submissions as KoBoToolbox exports them (``;``-separated CSV with its metadata columns)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(KOBO_HEADER)
    for number, (institution, staff, protocol) in enumerate([("DPI", "12", "yes"), ("SEDUC", "3", "no")], start=1):
        uuid = f"7d0c6b2e-1111-4000-8000-{number:012d}"
        writer.writerow(
            [institution, staff, protocol, f"uuid:{uuid}", 500 + number, uuid, "2019-03-20T10:00:00", number]
        )
    return buffer.getvalue().encode()


def _page(page_factory: Any, live_server: Any, user: Any, *, mobile: bool = True) -> Any:
    """A signed-in page (log-in itself, with its second factor, is tested elsewhere)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = page_factory(locale="en", mobile=mobile)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def _go(page: Any, live_server: Any, path: str) -> None:
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state("networkidle")


def _upload(page: Any, name: str, mime: str, content: bytes) -> None:
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": mime, "buffer": content}])


def _round(page: Any, live_server: Any, study_pk: int, kind: str, starts: str, ends: str) -> None:
    from ruta.institutions.models import Institution

    _go(page, live_server, f"/baseline/{study_pk}/rounds/new/")
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=starts_on]", starts)
    page.fill("input[name=ends_on]", ends)
    page.get_by_label("Capacidad institucional (2019-03)").check()
    for code in ("eri", "stss"):
        page.check(f"input[name=institutions][value='{Institution.objects.get(code=code).pk}']")
    _submit(page, "Save")


def _score(page: Any, live_server: Any, round_pk: int, institution: str, values: dict[str, int]) -> None:
    _go(page, live_server, f"/baseline/rounds/{round_pk}/capacity/{institution}/")
    for dimension, value in values.items():
        page.check(f"input[name={dimension}][value='{value}']")
    _submit(page, "Save the scores")
    assert f"/baseline/rounds/{round_pk}/" in page.url, page.url


def _run_worker(max_jobs: int = 50) -> int:
    from ruta.baseline import tasks  # noqa: F401 - the worker imports every app's tasks
    from ruta.jobs.services import work_once

    ran = 0
    while ran < max_jobs and (done := work_once("browser-worker", max_jobs=1)):
        ran += done
    return ran


def test_baseline_study_from_instrument_to_report(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    from ruta.baseline.models import CapacityScore, ReportStatus, Round, RoundReport, Study, Workshop
    from ruta.core.defaults import restore_empty_default_catalogues
    from ruta.instruments.models import InstrumentVersion, Submission

    restore_empty_default_catalogues()  # the capacity grid, emptied by the transactional flush
    personas = browser_world["personas"]

    # 1. The coordinator imports the instrument (XLSForm).
    coordinator = _page(page_factory, live_server, personas["study_coordinator"])
    _go(coordinator, live_server, "/instruments/upload/")
    _upload(
        coordinator, "capacidad.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsform()
    )
    _submit(coordinator, "Import")
    version = InstrumentVersion.objects.get(instrument__form_id="capacidad_2019")
    assert version.question_count == 3

    # 2. An enumerator fills it twice on a phone.
    enumerator = _page(page_factory, live_server, personas["enumerator"])
    for institution, staff, protocol in [("ERI", "8", "Sí"), ("SESAL", "2", "No")]:
        _go(enumerator, live_server, f"/instruments/versions/{version.pk}/fill/")
        enumerator.get_by_label("Institución").fill(institution)
        enumerator.get_by_label("Personal capacitado").fill(staff)
        enumerator.get_by_label(protocol, exact=True).check()
        if institution == "ERI":
            screenshot(enumerator, "baseline-fill-phone")
        _submit(enumerator, "Save answers")
    assert Submission.objects.filter(version=version, source="web").count() == 2

    # 3. The coordinator imports the KoBoToolbox export of the field teams' phones.
    _go(coordinator, live_server, f"/instruments/{version.instrument_id}/import/")
    _upload(coordinator, "capacidad_kobo.csv", "text/csv", _kobo_export())
    _submit(coordinator, "Import")
    assert Submission.objects.filter(version=version).count() == 4

    # 4. The study, its baseline and endline rounds (with the instrument and two institutions).
    _go(coordinator, live_server, "/baseline/new/")
    coordinator.fill("input[name=title]", "Línea de base 2019")
    _submit(coordinator, "Save")
    study = Study.objects.get(title="Línea de base 2019")
    _round(coordinator, live_server, study.pk, "baseline", "2019-03-01", "2019-06-28")
    _round(coordinator, live_server, study.pk, "endline", "2022-09-01", "2022-11-30")
    baseline, endline = Round.objects.get(kind="baseline"), Round.objects.get(kind="endline")
    assert list(baseline.instruments.all()) == [version]

    # 5. The two-day workshop: participants registered and signed in on a phone, a group's output.
    _go(coordinator, live_server, f"/baseline/rounds/{baseline.pk}/workshops/new/")
    coordinator.fill("input[name=title]", "Taller de línea de base")
    coordinator.fill("input[name=starts_on]", "2019-04-23")
    coordinator.fill("input[name=ends_on]", "2019-04-24")
    coordinator.fill("input[name=place]", "Tegucigalpa")
    _submit(coordinator, "Save")
    workshop = Workshop.objects.get()
    assert workshop.sessions.count() == 2
    people = [
        ("Karla Mejía", "Secretaría de Salud", "female"),
        (
            "Dania Flores",
            "Ministerio Público — Unidad contra la Trata, Explotación Sexual Comercial y Tráfico Ilícito de Personas",
            "female",
        ),
        ("Marvin Zelaya", "Secretaría de Salud", "male"),
    ]
    _go(coordinator, live_server, f"/baseline/workshops/{workshop.pk}/participants/new/")
    for name, institution, sex in people:
        coordinator.fill("input[name=name]", name)
        coordinator.select_option("select[name=institution]", label=institution)
        coordinator.fill("input[name=position]", "Técnica" if sex == "female" else "Técnico")
        coordinator.check(f"input[name=sex][value={sex}]")
        if name == "Karla Mejía":
            screenshot(coordinator, "baseline-participant-phone")
        _submit(coordinator, "Save and register another")
    signer = _page(page_factory, live_server, personas["enumerator"])
    _go(signer, live_server, f"/baseline/workshops/{workshop.pk}/")
    signer.get_by_role("link", name="Day 1").click()
    signer.wait_for_load_state("networkidle")
    for name, _institution, _sex in people[:2]:
        signer.get_by_label(re.compile(name)).check()
    screenshot(signer, "baseline-sign-in-phone")
    _submit(signer, "Save the sign-in sheet")

    _go(coordinator, live_server, f"/baseline/workshops/{workshop.pk}/")
    coordinator.get_by_text("Record a group's output").click()
    coordinator.fill("input[name=group]", "Grupo 1: coordinación")
    coordinator.fill("textarea[name=text]", "Las derivaciones se hacen por teléfono, sin registro.")
    _submit(coordinator, "Record the output")
    summary = " ".join(coordinator.get_by_test_id("workshop-summary").inner_text().split())
    assert summary == "3 participants, 2 institutions, 66.7 % (2 of 3) women", summary
    assert "2 / 3" in coordinator.inner_text("main")  # day 1 sign-in
    screenshot(coordinator, "baseline-workshop-phone")

    # 6. Two institutions scored at baseline and again at endline.
    before = {"protocols": 1, "trained_staff": 2, "data_systems": 1, "coordination": 2, "resources": 1}
    after = {"protocols": 3, "trained_staff": 3, "data_systems": 2, "coordination": 3, "resources": 2}
    _score(coordinator, live_server, baseline.pk, "eri", before)
    _score(coordinator, live_server, baseline.pk, "stss", {**before, "protocols": 2})
    _score(coordinator, live_server, endline.pk, "eri", after)
    _score(coordinator, live_server, endline.pk, "stss", {**after, "resources": 1})
    assert CapacityScore.objects.count() == 20

    # 7. The comparison charts (drawn by Chart.js from the page's data) and their table.
    analyst = _page(page_factory, live_server, personas["analyst"], mobile=False)
    _go(analyst, live_server, f"/baseline/{study.pk}/capacity/")
    analyst.wait_for_function(
        "() => window.Chart && Chart.getChart('chart-dimensions') && Chart.getChart('chart-institutions')"
    )
    drawn = analyst.evaluate("() => Chart.getChart('chart-dimensions').data.datasets.map(d => d.data.slice(0, 5))")
    assert drawn == [[1.5, 2, 1, 2, 1], [3, 3, 2, 3, 1.5]]
    table = analyst.get_by_test_id("dimension-means").inner_text()
    assert "+1.50" in table  # protocols: ERI +2, STSS +1
    screenshot(analyst, "baseline-comparison")
    phone_charts = _page(page_factory, live_server, personas["analyst"])
    _go(phone_charts, live_server, f"/baseline/{study.pk}/capacity/")
    phone_charts.wait_for_function("() => window.Chart && Chart.getChart('chart-dimensions')")
    screenshot(phone_charts, "baseline-comparison-phone")

    # 8. The round's report: built by the worker while the page shows progress, then downloaded.
    _go(analyst, live_server, f"/baseline/rounds/{baseline.pk}/")
    screenshot(analyst, "baseline-round")
    _submit(analyst, "Build the report (PDF and XLSX)")
    assert analyst.locator("progress#report-bar").count() == 1
    # SQLite's shared in-memory test database cannot take the page's polls while the worker writes:
    # hold them (they are refused and the page polls again) while a step runs.
    analyst.route("**/progress/", lambda route: route.abort())
    assert _run_worker(max_jobs=1) == 1  # the figures are gathered: one step of three
    analyst.unroute("**/progress/")
    analyst.get_by_text("Being built: 33 %").wait_for(timeout=10_000)
    assert analyst.locator("a[data-format]").count() == 0  # nothing offered before completion
    screenshot(analyst, "baseline-report-progress")
    analyst.route("**/progress/", lambda route: route.abort())
    assert _run_worker() == 2
    analyst.unroute("**/progress/")
    analyst.get_by_text("The report is ready.").wait_for(timeout=10_000)
    assert RoundReport.objects.get().status == ReportStatus.COMPLETE
    screenshot(analyst, "baseline-report-ready")
    with analyst.expect_download() as pdf_download:
        analyst.locator("a[data-format=pdf]").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.endswith(".pdf")
    with open(pdf.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    with analyst.expect_download() as xlsx_download:
        analyst.locator("a[data-format=xlsx]").click()
    import openpyxl

    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    with open(xlsx_download.value.path(), "rb") as handle:
        workbook = openpyxl.load_workbook(io.BytesIO(handle.read()))
    figures = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=4, values_only=True)}
    assert (figures["Participants"], figures["Institutions represented"], figures["Share of women"]) == (3, 2, "66.7 %")

    # The actor map: the inventory's declared links and the referrals made in Ruta, drawn as SVG,
    # and the department map (bundled boundaries, attribution kept).
    from ruta.baseline.demo import seed_inventory
    from tests.referrals.factories import make_referral

    seed_inventory(personas["study_coordinator"])
    make_referral(personas)  # ERI → SESAL, sent
    _go(analyst, live_server, "/baseline/actors/")
    assert analyst.locator("svg.actor-network circle.node").count() == 11
    assert analyst.locator("svg.actor-network line.edge-referrals").count() == 1
    analyst.wait_for_selector("#department-map .leaflet-interactive")
    assert "OpenStreetMap" in analyst.inner_text("#department-map .leaflet-control-attribution")
    screenshot(analyst, "baseline-actor-map")
