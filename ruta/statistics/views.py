"""Statistics pages: the dashboards (national or territorial, institutional), the indicators'
definitions, the periodic reports and the population behind SDG 16.2.2."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.views.decorators.http import require_http_methods

from ruta.accounts.decorators import recent_auth_required
from ruta.core.http import AuthenticatedHttpRequest, acting_user
from ruta.core.indicators import indicators
from ruta.policy.access import has_perm
from ruta.policy.decorators import permission_required
from ruta.policy.permissions import PlatformPermission
from ruta.statistics import htcds_exports, population, reports
from ruta.statistics.dashboard import build_dashboard
from ruta.statistics.forms import (
    CUT_LABELS,
    DashboardFilterForm,
    HtcdsRequestForm,
    PopulationImportForm,
    ReportRequestForm,
    default_period,
)
from ruta.statistics.institutional import institutional_dashboard
from ruta.statistics.models import HtcdsExport, Population, ReportStatus, StatisticsReport
from ruta.statistics.reach import Reach, reach_of
from ruta.statistics.tables import TableError, offered, small_cell_k

STATS = PlatformPermission.STATS_VIEW


def _can_export(request: AuthenticatedHttpRequest, reach: Reach) -> bool:
    """Whether the statistics menu offers the HTCDS export: only to those its pages let in."""
    return reach.exact and has_perm(request.user, PlatformPermission.EXPORT_AGGREGATE)


def _filters(
    request: AuthenticatedHttpRequest, reach: Reach
) -> tuple[DashboardFilterForm, date, date, str, dict[str, str]]:
    form = DashboardFilterForm(request.GET or None, reach=reach)
    since, until = default_period()
    cut_by, where = "department" if not reach.territorial else "", {}
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        cut_by, where = form.cleaned_data["by"], form.where()
    return form, since, until, cut_by, where


@permission_required(STATS)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    reach = reach_of(request.user)
    if not reach.exact and not reach.territorial:
        return redirect("statistics:institution")
    form, since, until, cut_by, where = _filters(request, reach)
    try:
        board = build_dashboard(user=request.user, reach=reach, since=since, until=until, cut_by=cut_by, where=where)
    except TableError as error:
        raise Http404 from error  # a department outside the reader's territory
    return render(
        request,
        "statistics/dashboard.html",
        {
            "board": board,
            "form": form,
            "k": small_cell_k(),
            "cut_label": CUT_LABELS.get(cut_by, ""),
            "territorial": reach.territorial,
            "can_report": reach.exact,
            "can_export": _can_export(request, reach),
        },
    )


@permission_required(STATS)
def institution(request: AuthenticatedHttpRequest) -> HttpResponse:
    reach = reach_of(request.user)
    form, since, until, _cut, _where = _filters(request, reach)
    return render(
        request,
        "statistics/institution.html",
        {
            "panels": institutional_dashboard(reach=reach, since=since, until=until),
            "form": form,
            "k": small_cell_k(),
            "since": since,
            "until": until,
            "can_report": reach.exact,
            "can_export": _can_export(request, reach),
        },
    )


@permission_required(STATS)
def definitions(request: AuthenticatedHttpRequest) -> HttpResponse:
    reach = reach_of(request.user)
    return render(
        request,
        "statistics/definitions.html",
        {
            "indicators": offered(indicators(), reach),
            "k": small_cell_k(),
            "can_report": reach.exact,
            "can_export": _can_export(request, reach),
        },
    )


@permission_required(STATS)
@require_http_methods(["GET", "POST"])
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    reach = reach_of(request.user)
    if not reach.exact:
        raise Http404  # the commission's report: national readers
    form = ReportRequestForm(request.POST or None, initial={"period": "monthly", "day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        report = reports.report_request(
            actor=acting_user(request), period=form.cleaned_data["period"], day=form.cleaned_data["day"]
        )
        messages.success(request, _gettext("The report is being built; this page shows its progress."))
        return redirect("statistics:report", pk=report.pk)
    recent = StatisticsReport.objects.defer("pdf", "xlsx", "sections")[:20]
    context = {"form": form, "reports": recent, "can_export": _can_export(request, reach)}
    return render(request, "statistics/reports.html", context)


def _page_or_progress(request: AuthenticatedHttpRequest, page: str, progress: str) -> str:
    # htmx polls the detail page for its progress section alone.
    return progress if request.headers.get("HX-Request") else page


def _attachment(content: bytes | memoryview | None, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(content or b""), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(STATS)
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reach = reach_of(request.user)
    if not reach.exact:
        raise Http404
    report = get_object_or_404(StatisticsReport.objects.defer("pdf", "xlsx"), pk=pk)
    template = _page_or_progress(request, "statistics/report.html", "statistics/includes/report_progress.html")
    ready = report.status == ReportStatus.READY
    return render(request, template, {"report": report, "ready": ready, "can_export": _can_export(request, reach)})


FILES = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@permission_required(STATS)
def report_download(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    if not reach_of(request.user).exact or kind not in FILES:
        raise Http404
    # Only a report marked ready has files: they were written in the same transaction as that mark.
    report = get_object_or_404(StatisticsReport, pk=pk, status=ReportStatus.READY)
    reports.report_downloaded(actor=acting_user(request), report=report, kind=kind, request=request)
    content_type, extension = FILES[kind]
    name = f"ruta-{report.period}-{report.starts_on:%Y-%m}-{report.data_version}.{extension}"
    return _attachment(report.pdf if kind == "pdf" else report.xlsx, content_type, name)


@permission_required(STATS)
def sdg(request: AuthenticatedHttpRequest) -> HttpResponse:
    reach = reach_of(request.user)
    try:
        year = int(request.GET.get("year", "") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), timezone.localdate().year)
    rates = population.sdg_16_2_2(year=year, reach=reach)
    can_import = has_perm(request.user, PlatformPermission.CONFIG_MANAGE)
    context = {
        "rates": rates,
        "k": small_cell_k(),
        "can_report": reach.exact,
        "can_import": can_import,
        "can_export": _can_export(request, reach),
    }
    return render(request, "statistics/sdg.html", context)


@permission_required(PlatformPermission.CONFIG_MANAGE)
@require_http_methods(["GET", "POST"])
def population_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PopulationImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        result = population.population_import(
            actor=acting_user(request), text=form.text(), source=form.cleaned_data["source"]
        )
        errors = result.errors
        if not errors:
            messages.success(request, _gettext("%(count)s population figures imported.") % {"count": result.imported})
            return redirect("statistics:population")
    years = Population.objects.values_list("year", flat=True).distinct().order_by("-year")
    sources = Population.objects.values_list("year", "source").distinct().order_by("-year", "source")
    return render(
        request,
        "statistics/population.html",
        {"form": form, "errors": errors, "years": list(years), "sources": sources},
    )


EXPORT = PlatformPermission.EXPORT_AGGREGATE


def _htcds_reader(request: AuthenticatedHttpRequest) -> None:
    # Exported registrations are national microdata, even k-anonymous: national readers only.
    if not reach_of(request.user).exact:
        raise Http404


@permission_required(EXPORT)
@recent_auth_required
@require_http_methods(["GET", "POST"])
def htcds_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _htcds_reader(request)
    form = HtcdsRequestForm(request.POST or None, initial={"fmt": "csv"})
    if request.method == "POST" and form.is_valid():
        export = htcds_exports.htcds_request(
            actor=acting_user(request),
            fmt=form.cleaned_data["fmt"],
            purpose=form.cleaned_data["purpose"],
            request=request,
        )
        messages.success(request, _gettext("The export is being built; this page shows when it is ready."))
        return redirect("statistics:htcds:detail", pk=export.pk)
    recent = HtcdsExport.objects.defer("content")[:20]
    context = {"form": form, "exports": recent, "k": small_cell_k()}
    return render(request, "statistics/htcds.html", context)


@permission_required(EXPORT)
def htcds_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _htcds_reader(request)
    export = get_object_or_404(HtcdsExport.objects.defer("content"), pk=pk)
    template = _page_or_progress(request, "statistics/htcds_export.html", "statistics/includes/htcds_progress.html")
    return render(request, template, {"export": export, "ready": export.status == ReportStatus.READY})


HTCDS_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": FILES["xlsx"][0]}


@permission_required(EXPORT)
@recent_auth_required
def htcds_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _htcds_reader(request)
    export = get_object_or_404(HtcdsExport, pk=pk, status=ReportStatus.READY)
    htcds_exports.htcds_downloaded(actor=acting_user(request), export=export, request=request)
    name = f"ruta-htcds-{export.requested_at:%Y%m%d-%H%M}.{export.fmt}"
    return _attachment(export.content, HTCDS_TYPES[export.fmt], name)
