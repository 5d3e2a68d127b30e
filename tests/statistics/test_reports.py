"""The periodic report: built in background steps with progress, kept with its data version, never
offered half-built — also when the worker dies during a step."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ruta.jobs import services as jobs
from ruta.jobs.models import Job
from ruta.statistics import reports
from ruta.statistics.models import ReportStatus, StatisticsReport
from tests.statistics.factories import seed_statistics

pytestmark = pytest.mark.django_db


def _request(personas: dict[str, Any], period: str = "monthly") -> StatisticsReport:
    return reports.report_request(actor=personas["analyst"], period=period, day=date(2026, 3, 17))


def test_a_report_is_built_step_by_step_and_offered_only_when_ready(
    client: Client, personas: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    seed_statistics(personas)
    with django_capture_on_commit_callbacks(execute=True):
        report = _request(personas)
    assert (report.starts_on, report.ends_on) == (date(2026, 3, 1), date(2026, 3, 31))
    assert Job.objects.filter(kind=reports.JOB_KIND, payload={"report": report.pk}).exists()
    client.force_login(personas["analyst"])
    download = reverse("statistics:report-download", kwargs={"pk": report.pk, "kind": "pdf"})
    reports.report_step(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.BUILDING and report.data_version
    progress = []
    while report.sections_done < report.sections_total:
        assert report.pdf is None and report.xlsx is None
        assert client.get(download).status_code == 404
        reports.report_step(report.pk)
        report.refresh_from_db()
        progress.append(report.progress)
    assert progress == sorted(progress) and progress[-1] < 100
    fragment = client.get(reverse("statistics:report", kwargs={"pk": report.pk}), HTTP_HX_REQUEST="true")
    assert b"<progress" in fragment.content and b"hx-trigger" in fragment.content
    reports.report_step(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.progress == 100
    assert report.data_version == reports.data_fingerprint()[0]
    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert report.data_version in pdf["Content-Disposition"]
    xlsx = client.get(reverse("statistics:report-download", kwargs={"pk": report.pk, "kind": "xlsx"}))
    assert xlsx.content.startswith(b"PK")
    fragment = client.get(reverse("statistics:report", kwargs={"pk": report.pk}), HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in fragment.content and b"download-pdf" in fragment.content


def test_the_xlsx_carries_every_indicator_with_suppression_shown(personas: dict[str, Any]) -> None:
    import io

    from openpyxl import load_workbook

    seed_statistics(personas)
    report = reports.build_now(_request(personas, "annual"))
    sheet = load_workbook(io.BytesIO(bytes(report.xlsx))).active
    rows = list(sheet.iter_rows(values_only=True))
    labels = {row[0] for row in rows[5:]}
    assert {str(section["code"]) for section in report.sections} and len(labels) == len(report.sections)
    assert any(row[3] == "< 11" for row in rows[5:])  # small cells shown as suppressed, not dropped


def test_a_worker_dying_mid_step_leaves_no_file_and_the_retry_finishes(
    personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    jobs.discover()  # the worker imports every app's tasks at start
    seed_statistics(personas, alerts=60)
    with django_capture_on_commit_callbacks(execute=True):
        report = _request(personas)
    for _ in range(report.sections_total + 1):
        reports.report_step(report.pk)
    Job.objects.filter(kind=reports.JOB_KIND).delete()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(reports.JOB_KIND, {"report": report.pk})

    def killed(*args: Any) -> bytes:
        raise SystemError("worker killed while writing the files")

    monkeypatch.setattr(reports, "render_xlsx", killed)
    job = jobs.claim_next("worker-1")
    assert job is not None
    assert jobs.run_job(job, "worker-1") is False
    assert "worker killed" in Job.objects.get(pk=job.pk).last_error
    report.refresh_from_db()
    assert report.status == ReportStatus.BUILDING and report.pdf is None  # the PDF written first rolled back
    monkeypatch.undo()
    Job.objects.filter(pk=job.pk).update(run_after=job.run_after)
    retry = jobs.claim_next("worker-2")
    assert retry is not None and jobs.run_job(retry, "worker-2")
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and bytes(report.pdf).startswith(b"%PDF")


def test_the_data_version_changes_with_inserts_updates_and_deletes(personas: dict[str, Any]) -> None:
    seeded = seed_statistics(personas, alerts=30)
    first = reports.data_fingerprint()[0]
    alert = seeded.alerts[0]
    alert.refresh_from_db()
    alert.priority = "P1" if alert.priority != "P1" else "P2"
    alert.save(update_fields=["priority", "updated_at"])
    second = reports.data_fingerprint()[0]
    assert second != first
    seeded.referrals[-1].delete()
    assert reports.data_fingerprint()[0] != second
