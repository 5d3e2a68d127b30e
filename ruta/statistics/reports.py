"""The commission's periodic report (monthly, annual) as PDF and XLSX, built in the background.

A report is built in steps, one job each: the first notes the data version, each next one counts
one indicator (so the page can show progress, since a job's writes are seen only when it commits),
and the last notes whether the data changed meanwhile (intake never stops, so a build does not wait
for a quiet moment; the report says so instead) and writes both files in the same transaction that
marks the report ready. A worker killed during a step rolls that step back and the job is retried: no half
file is ever offered. The report is a publication: its cells are protected as on any public page."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.alerts.models import Alert
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.models import Case, IdentificationDecision
from ruta.core.indicators import Indicator, indicators
from ruta.core.periods import month_end
from ruta.jobs.services import enqueue
from ruta.persons.models import Person
from ruta.referrals.models import Referral
from ruta.screening.models import ScreeningRecord
from ruta.statistics.labels import Labeller
from ruta.statistics.models import ReportPeriod, ReportStatus, StatisticsReport
from ruta.statistics.reach import PUBLIC
from ruta.statistics.routers import statistics_reads
from ruta.statistics.tables import indicator_table, small_cell_k

JOB_KIND = "statistics.report_step"
FINGERPRINTED = (Alert, Case, Person, Referral, IdentificationDecision, ScreeningRecord)
SUPPRESSED_MARK = "< {k}"


def data_fingerprint() -> tuple[str, dict[str, Any]]:
    """What the figures are counted from: per table its row count, largest id and latest change.
    Any insert, update (``updated_at``) or delete changes it."""
    summary: dict[str, Any] = {}
    with statistics_reads():
        for model in FINGERPRINTED:
            fields = {field.name for field in model._meta.get_fields()}
            aggregates: dict[str, Any] = {"rows": Count("pk"), "last_id": Max("pk")}
            if "updated_at" in fields:
                aggregates["last_change"] = Max("updated_at")
            row = model._default_manager.aggregate(**aggregates)
            summary[model._meta.label_lower] = {
                key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in row.items()
            }
    digest = hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()[:16]
    return digest, summary


def report_period(period: str, day: date) -> tuple[date, date]:
    if period == ReportPeriod.ANNUAL:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return day.replace(day=1), month_end(day)


def report_request(*, actor: User, period: str, day: date) -> StatisticsReport:
    starts_on, ends_on = report_period(period, day)
    with transaction.atomic():
        report = StatisticsReport.objects.create(
            period=period,
            starts_on=starts_on,
            ends_on=ends_on,
            requested_by=actor,
            requested_at=timezone.now(),
            sections_total=len(indicators()),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=report,
            summary=f"statistics report {period} {starts_on}–{ends_on}",
        )
        enqueue(JOB_KIND, {"report": report.pk})
    return report


def _section(indicator: Indicator, starts_on: date, ends_on: date) -> dict[str, Any]:
    by = ("department",) if "department" in indicator.dimensions else ()
    table = indicator_table(indicator, reach=PUBLIC, since=starts_on, until=ends_on, by=by)
    labels = Labeller()
    return {
        "code": indicator.code,
        "by": list(by),
        "rows": [
            [labels(dimension, cell.dimensions[dimension]) for dimension in by] + [_shown(cell.value, cell.suppressed)]
            for cell in table.cells
        ],
        "total": _shown(table.total.value, table.total.suppressed),
        "unit": str(indicator.unit),
    }


def _shown(value: float | None, suppressed: bool) -> Any:
    if suppressed:
        return SUPPRESSED_MARK
    return value


def report_step(report_id: int) -> None:
    """One step of the build (the job handler); runs inside the job's transaction."""
    report = StatisticsReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.status in (ReportStatus.READY, ReportStatus.FAILED):
        return
    selected = indicators()
    if report.status == ReportStatus.PENDING:
        report.status = ReportStatus.BUILDING
        report.sections, report.sections_done, report.sections_total = [], 0, len(selected)
        report.data_version, report.data_summary = data_fingerprint()
    elif report.sections_done < len(selected):
        indicator = selected[report.sections_done]
        report.sections = [*report.sections, _section(indicator, report.starts_on, report.ends_on)]
        report.sections_done += 1
    else:
        report.data_summary = {
            **report.data_summary,
            "changed_during_build": data_fingerprint()[0] != report.data_version,
        }
        report.pdf = render_pdf(report, selected)
        report.xlsx = render_xlsx(report, selected)
        report.status = ReportStatus.READY
        report.finished_at = timezone.now()
    report.save()
    if report.status != ReportStatus.READY:
        enqueue(JOB_KIND, {"report": report.pk})


def build_now(report: StatisticsReport) -> StatisticsReport:
    """Run every step in this process (tests, the command line); the worker does it in production."""
    for _step in range(report.sections_total + 3):
        with transaction.atomic():  # as the job runs it: the step locks its report row
            report_step(report.pk)
        report.refresh_from_db()
        if report.status == ReportStatus.READY:
            break
    return report


@dataclass(frozen=True)
class _Heading:
    title: str
    subtitle: str
    note: str


def _heading(report: StatisticsReport) -> _Heading:
    k = small_cell_k()
    return _Heading(
        title=_gettext("Statistics report of the commission (CICESCT)"),
        subtitle=f"{report.get_period_display()}: {report.starts_on:%Y-%m-%d} – {report.ends_on:%Y-%m-%d}",
        note=_gettext(
            "Figures from data version %(version)s. Cells under %(k)s are suppressed, and so are the cells that "
            "would reveal them, shown as “%(mark)s”. Demonstration data excluded."
        )
        % {"version": report.data_version, "k": k, "mark": SUPPRESSED_MARK.format(k=k)},
    )


def _cell(value: Any) -> Any:
    return SUPPRESSED_MARK.format(k=small_cell_k()) if value == SUPPRESSED_MARK else value


def render_pdf(report: StatisticsReport, selected: list[Indicator]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    styles = getSampleStyleSheet()
    heading = _heading(report)
    story: list[Any] = [
        Paragraph(heading.title, styles["Title"]),
        Paragraph(heading.subtitle, styles["Heading2"]),
        Paragraph(heading.note, styles["Italic"]),
        Spacer(1, 12),
    ]
    by_code = {indicator.code: indicator for indicator in selected}
    for section in report.sections:
        indicator = by_code.get(section["code"])
        if indicator is None:
            continue
        story.append(Paragraph(str(indicator.label), styles["Heading3"]))
        story.append(Paragraph(str(indicator.definition), styles["BodyText"]))
        header = [str(_("Department"))] * len(section["by"]) + [str(indicator.unit or _("Count"))]
        rows = [header, *[[*row[:-1], _cell(row[-1])] for row in section["rows"]]]
        rows.append([str(_("Total"))] * len(section["by"]) + [_cell(section["total"])])
        table = PdfTable(rows, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ]
            )
        )
        story.extend([table, Spacer(1, 12)])
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=heading.title).build(story)
    return buffer.getvalue()


def render_xlsx(report: StatisticsReport, selected: list[Indicator]) -> bytes:
    from openpyxl import Workbook

    heading = _heading(report)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Report"))[:31]
    sheet.append([heading.title])
    sheet.append([heading.subtitle])
    sheet.append([heading.note])
    sheet.append([])
    sheet.append([str(_("Indicator")), str(_("Definition")), str(_("Department")), str(_("Value"))])
    by_code = {indicator.code: indicator for indicator in selected}
    for section in report.sections:
        indicator = by_code.get(section["code"])
        if indicator is None:
            continue
        for row in section["rows"]:
            place = row[0] if section["by"] else ""
            sheet.append([str(indicator.label), str(indicator.definition), place, _cell(row[-1])])
        sheet.append([str(indicator.label), str(indicator.definition), str(_("Total")), _cell(section["total"])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_downloaded(*, actor: User, report: StatisticsReport, kind: str, request: Any = None) -> None:
    """Every download of a report is an export, audited (who, which report, which data version)."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=report,
        summary=f"statistics report {report.pk} {report.period} {report.starts_on} ({kind}, {report.data_version})",
        request=request,
    )
