"""The round report: built step by step by the worker, offered only once complete; a killed worker's
step is redone and a failed step leaves nothing half-written behind."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ruta.baseline import report as reports
from ruta.baseline import tasks  # noqa: F401 - registers the job handler
from ruta.baseline.models import ReportStatus, RoundReport
from ruta.jobs.models import Job, JobStatus
from ruta.jobs.services import claim_next, work_once
from tests.baseline.factories import seeded_study

pytestmark = pytest.mark.django_db


def _run_worker(capture: Any, name: str = "worker-1") -> int:
    """Run jobs until none is due; each job's follow-up is queued when its transaction commits."""
    ran = 0
    while True:
        with capture(execute=True):
            done = work_once(name, max_jobs=1)
        if not done:
            return ran
        ran += done


@pytest.fixture
def requested(personas: dict[str, Any], django_capture_on_commit_callbacks: Any) -> RoundReport:
    seeded = seeded_study(personas["study_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        return reports.report_request(actor=personas["analyst"], round_=seeded.baseline, language="en")


def _download(client: Any, report: RoundReport, fmt: str) -> Any:
    return client.get(reverse("baseline:report_download", kwargs={"pk": report.pk, "fmt": fmt}))


def test_the_worker_builds_both_files_and_the_page_offers_them(
    requested: RoundReport, django_capture_on_commit_callbacks: Any, client: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["analyst"])
    progress = client.get(reverse("baseline:report_progress", kwargs={"pk": requested.pk}))
    assert b'value="0"' in progress.content and b"hx-get" in progress.content
    assert _download(client, requested, "pdf").status_code == 404

    assert _run_worker(django_capture_on_commit_callbacks) == len(reports.STEPS)
    requested.refresh_from_db()
    assert (requested.status, requested.steps_done, reports.progress(requested)) == (ReportStatus.COMPLETE, 3, 100)

    page = client.get(reverse("baseline:report", kwargs={"pk": requested.pk}))
    assert b"hx-get" not in page.content  # polling stops once complete
    pdf = _download(client, requested, "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    xlsx = _download(client, requested, "xlsx")
    assert xlsx.status_code == 200

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(xlsx.content))
    summary = workbook.worksheets[0]
    rows = {row[0]: row[1] for row in summary.iter_rows(min_row=4, values_only=True)}
    # In the requester's language, with the seeded figures.
    assert rows["Participants"] == 7
    assert rows["Institutions represented"] == 3
    assert rows["Women among participants"] == "4 / 7"
    assert rows["Share of women"] == "57.1 %"
    assert rows["Institutions assessed"] == 2


def test_a_killed_worker_job_is_redone_and_nothing_partial_is_offered(
    requested: RoundReport, django_capture_on_commit_callbacks: Any, client: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["analyst"])
    job = claim_next("worker-that-dies")  # claimed, then the process is killed: never finished
    assert job is not None and job.status == JobStatus.RUNNING
    assert _run_worker(django_capture_on_commit_callbacks, "worker-2") == 0  # its lease still holds
    requested.refresh_from_db()
    assert requested.status == ReportStatus.QUEUED and requested.steps_done == 0
    assert _download(client, requested, "xlsx").status_code == 404

    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert _run_worker(django_capture_on_commit_callbacks, "worker-2") == 3
    requested.refresh_from_db()
    assert requested.status == ReportStatus.COMPLETE
    assert _download(client, requested, "xlsx").status_code == 200


def test_a_step_that_fails_half_way_leaves_no_file_and_is_retried(
    requested: RoundReport,
    django_capture_on_commit_callbacks: Any,
    client: Any,
    personas: dict[str, Any],
    monkeypatch: Any,
) -> None:
    client.force_login(personas["analyst"])

    def pdf_then_crash(report: RoundReport) -> None:
        report.pdf = b"%PDF-half"
        raise RuntimeError("worker killed while writing the PDF")

    monkeypatch.setattr(reports, "STEPS", [*reports.STEPS[:2], pdf_then_crash])
    _run_worker(django_capture_on_commit_callbacks)
    requested.refresh_from_db()
    assert requested.steps_done == 2 and requested.status == ReportStatus.BUILDING
    assert RoundReport.objects.filter(pk=requested.pk).values_list("pdf", flat=True).get() is None
    assert _download(client, requested, "pdf").status_code == 404
    assert _download(client, requested, "xlsx").status_code == 404  # written, but the report is not complete
    page = client.get(reverse("baseline:report_progress", kwargs={"pk": requested.pk}))
    assert b'value="67"' in page.content

    monkeypatch.undo()
    Job.objects.filter(status=JobStatus.PENDING).update(run_after=timezone.now())
    assert _run_worker(django_capture_on_commit_callbacks) == 1
    requested.refresh_from_db()
    assert requested.status == ReportStatus.COMPLETE
    pdf = _download(client, requested, "pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.content != b"%PDF-half"


def test_a_replayed_step_does_nothing_twice(requested: RoundReport, django_capture_on_commit_callbacks: Any) -> None:
    _run_worker(django_capture_on_commit_callbacks)
    requested.refresh_from_db()
    built = bytes(requested.pdf)
    reports.run_step(requested.pk, 1)  # the first step's job delivered again
    requested.refresh_from_db()
    assert requested.status == ReportStatus.COMPLETE and bytes(requested.pdf) == built


def test_a_report_whose_step_keeps_failing_says_so_and_stops_polling(
    requested: RoundReport, client: Any, personas: dict[str, Any]
) -> None:
    Job.objects.filter(kind=reports.JOB_KIND).update(status=JobStatus.FAILED)
    client.force_login(personas["analyst"])
    page = client.get(reverse("baseline:report_progress", kwargs={"pk": requested.pk}))
    assert b"could not be built" in page.content and b"hx-get" not in page.content
    assert _download(client, requested, "pdf").status_code == 404
