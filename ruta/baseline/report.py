"""The round's report (PDF and XLSX), built in the background in steps.

``report_request`` queues the first step; each step is one job (``ruta.jobs``) whose work, progress
mark (``steps_done``) and the queuing of the next step commit together. So the page shows real
progress, a worker killed mid-step leaves nothing of that step (its job is claimed again once its
lease runs out and redoes it), and the files are offered only once the last step has marked the
report complete: a half-built report is never downloadable.

Steps: gather the figures as tables in the requester's language (``content``), write the workbook,
write the PDF (and mark the report complete). Both files are drawn from the same tables."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.baseline.figures import (
    capacity_comparison,
    initiatives_by_pillar,
    results_framework,
    round_figures,
    workshop_figures,
)
from ruta.baseline.models import Evidence, Initiative, ReportStatus, Round, RoundReport
from ruta.jobs.services import enqueue

JOB_KIND = "baseline.report_step"
Table = dict[str, Any]  # {"title": str, "header": [str], "rows": [[str | number]]}


def report_request(*, actor: User, round_: Round, language: str) -> RoundReport:
    with transaction.atomic():
        report = RoundReport.objects.create(
            round=round_, requested_by=actor, requested_at=timezone.now(), language=language
        )
        audit_record(
            actor=actor, action=AuditAction.EXPORT, obj=report, summary=f"report of round {round_.pk} requested"
        )
        enqueue(JOB_KIND, {"report": report.pk, "step": 1})
    return report


def run_step(report_id: int, step: int) -> None:
    """One step of the build (called by the job inside its transaction). A step that already
    committed is skipped, so a re-run job never does its work twice."""
    report = RoundReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.steps_done >= step or report.status == ReportStatus.COMPLETE:
        return
    with translation.override(report.language):
        STEPS[step - 1](report)
    report.steps_done = step
    if step == len(STEPS):
        report.status = ReportStatus.COMPLETE
        report.completed_at = timezone.now()
    else:
        report.status = ReportStatus.BUILDING
        enqueue(JOB_KIND, {"report": report.pk, "step": step + 1})
    report.save(update_fields=["content", "xlsx", "pdf", "steps_done", "status", "completed_at"])


def report_file(*, actor: User, report: RoundReport, fmt: str) -> bytes | None:
    """The finished file in ``fmt``, its download audit-logged; None while the report is not
    complete (a report still being built offers nothing, not even the part already written)."""
    if fmt not in REPORT_FORMATS or report.status != ReportStatus.COMPLETE:
        return None
    content = RoundReport.objects.filter(pk=report.pk).values_list(fmt, flat=True).first()
    if not content:
        return None
    with transaction.atomic():
        audit_record(
            actor=actor, action=AuditAction.EXPORT, obj=report, summary=f"report {report.pk} downloaded ({fmt})"
        )
    return bytes(content)


def gave_up(report: RoundReport) -> bool:
    """Whether the worker stopped retrying a step of this report (the page then says so)."""
    from ruta.jobs.models import Job, JobStatus

    return (
        report.status != ReportStatus.COMPLETE
        and Job.objects.filter(kind=JOB_KIND, payload__report=report.pk, status=JobStatus.FAILED).exists()
    )


def progress(report: RoundReport) -> int:
    """Percentage of the build done."""
    return round(100 * report.steps_done / len(STEPS))


def _gather(report: RoundReport) -> None:
    report.content = report_content(report.round)


def _write_xlsx(report: RoundReport) -> None:
    report.xlsx = workbook_bytes(report.content)


def _write_pdf(report: RoundReport) -> None:
    report.pdf = pdf_bytes(report.content)


STEPS: list[Callable[[RoundReport], None]] = [_gather, _write_xlsx, _write_pdf]


def _percent(value: Any) -> str:
    return "—" if value is None else f"{formats.number_format(value, 1)} %"


def _day(value: Any) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def report_content(round_: Round) -> dict[str, Any]:
    """The round's figures as tables of text and numbers, in the active language."""
    figures = round_figures(round_)
    tables: list[Table] = [
        {
            "title": _t("Summary"),
            "header": [_t("Figure"), _t("Value")],
            "rows": [
                [_t("Workshops"), figures.workshops],
                [_t("Participants"), figures.participants],
                [_t("Institutions represented"), figures.institutions],
                [_t("Women among participants"), f"{figures.women.count} / {figures.women.total}"],
                [_t("Share of women"), _percent(figures.women.percent)],
                [_t("Institutions assessed"), figures.assessments],
                [_t("Findings"), figures.findings],
                [_t("Recommendations"), figures.recommendations],
            ],
        }
    ]
    workshop_rows = []
    for workshop in round_.workshops.all():
        numbers = workshop_figures(workshop)
        workshop_rows.append(
            [
                workshop.title,
                f"{_day(workshop.starts_on)} – {_day(workshop.ends_on)}",
                workshop.place,
                numbers.participants,
                numbers.institutions,
                numbers.women.count,
                _percent(numbers.women.percent),
            ]
        )
    tables.append(
        {
            "title": _t("Workshops"),
            "header": [
                _t("Workshop"),
                _t("Dates"),
                _t("Place"),
                _t("Participants"),
                _t("Institutions"),
                _t("Women"),
                _t("Share of women"),
            ],
            "rows": workshop_rows,
        }
    )
    initiatives = (
        Initiative.objects.filter(institution__in=round_.institutions.all())
        if round_.institutions.exists()
        else Initiative.objects.all()
    )
    tables.append(
        {
            "title": _t("Initiatives by pillar"),
            "header": [_t("Pillar"), _t("Initiatives"), _t("Share")],
            "rows": [[row.label, row.count, _percent(row.share.percent)] for row in initiatives_by_pillar(initiatives)],
        }
    )
    comparison = capacity_comparison(round_.study)
    rounds = comparison.rounds
    capacity_rows = []
    for institution in comparison.institutions:
        for dimension in comparison.dimensions:
            by_round = comparison.scores.get(institution.pk, {}).get(dimension.pk, {})
            if round_.pk not in by_round:
                continue
            change = comparison.change(institution.pk, dimension.pk)
            capacity_rows.append(
                [institution.name, dimension.label]
                + [by_round.get(other.pk, "") for other in rounds]
                + ["" if change is None else change]
            )
    tables.append(
        {
            "title": _t("Capacity scores"),
            "header": [_t("Institution"), _t("Dimension")]
            + [str(other.get_kind_display()) for other in rounds]
            + [_t("Change")],
            "rows": capacity_rows,
        }
    )
    evidence_counts: dict[int, int] = {}
    for finding_id in Evidence.objects.filter(finding__round=round_).values_list("finding_id", flat=True):
        evidence_counts[finding_id] = evidence_counts.get(finding_id, 0) + 1
    tables.append(
        {
            "title": _t("Findings and recommendations"),
            "header": [_t("Kind"), _t("Text"), _t("Pieces of evidence")],
            "rows": [
                [str(finding.get_kind_display()), finding.text, evidence_counts.get(finding.pk, 0)]
                for finding in round_.findings.all()
            ],
        }
    )
    results = []
    for row in results_framework(round_.study):
        actual = next(((value, source) for other, value, source in row.actuals if other.pk == round_.pk), (None, ""))
        results.append(
            [
                row.indicator.title,
                row.indicator.unit,
                row.indicator.baseline_value,
                row.indicator.target_value,
                "" if actual[0] is None else actual[0],
                actual[1],
            ]
        )
    tables.append(
        {
            "title": _t("Results framework"),
            "header": [_t("Indicator"), _t("Unit"), _t("Baseline"), _t("Target"), _t("Actual"), _t("Source")],
            "rows": results,
        }
    )
    return {
        "title": str(round_),
        "period": f"{_day(round_.starts_on)} – {_day(round_.ends_on)}",
        "tables": [{**table, "rows": [[_plain(cell) for cell in row] for row in table["rows"]]} for table in tables],
    }


def _plain(cell: Any) -> Any:
    """JSON-storable cell: numbers stay numbers (decimals as float), the rest as text."""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int | float):
        return cell
    if isinstance(cell, Decimal):
        return float(cell)
    return str(cell)


def workbook_bytes(content: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ruta.security.exports import safe_cell

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for number, table in enumerate(content["tables"], start=1):
        # Sheet titles: at most 31 characters and unique.
        sheet = workbook.create_sheet(f"{number} {table['title']}"[:31])
        sheet.append([content["title"]])
        sheet["A1"].font = Font(bold=True)
        sheet.append([table["title"]])
        sheet.append(table["header"])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes(content: dict[str, Any]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=content["title"])
    story: list[Any] = [
        Paragraph(escape(content["title"]), styles["Title"]),
        Paragraph(escape(content["period"]), styles["Normal"]),
    ]
    for table in content["tables"]:
        story += [Spacer(1, 12), Paragraph(escape(table["title"]), styles["Heading2"])]
        if not table["rows"]:
            story.append(Paragraph(escape(_t("Nothing recorded.")), styles["Normal"]))
            continue
        cell_style = styles["BodyText"]
        data = [[Paragraph(escape(str(value)), cell_style) for value in table["header"]]]
        data += [[Paragraph(escape(str(value)), cell_style) for value in row] for row in table["rows"]]
        grid = Table(data, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eef7")),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)
    document.build(story)
    return buffer.getvalue()


REPORT_FORMATS = {
    "pdf": ("application/pdf", _("PDF")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _("Spreadsheet (XLSX)")),
}
