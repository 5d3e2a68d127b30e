from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_read, audit_record
from ruta.core.http import acting_user
from ruta.instruments import odk_central, selectors, services
from ruta.instruments.forms import SubmissionUploadForm, TooLarge, XLSFormUploadForm, upload_limit
from ruta.instruments.models import InstrumentVersion
from ruta.instruments.permissions import InstrumentPermission
from ruta.instruments.webform import FormDefinition, answers_from_post, evaluate, live_labels, render_tree
from ruta.instruments.xlsform import fields_from_survey, localized, walk
from ruta.policy import access
from ruta.policy.decorators import permission_required

P = InstrumentPermission
PAGE_SIZE = 50


def _too_large() -> HttpResponse:
    message = _("The file is too large (the limit is %(limit)s MB).") % {"limit": round(upload_limit() / 1048576, 1)}
    return TemplateResponse(None, "413.html", {"message": message}, status=413).render()  # type: ignore[arg-type]


@permission_required(*selectors.READ_INSTRUMENT)
def instrument_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "instruments/list.html",
        {"instruments": selectors.instruments_visible(user), "can_manage": access.has_perm(user, P.MANAGE)},
    )


@permission_required(P.MANAGE)
def instrument_upload(request: HttpRequest) -> HttpResponse:
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, object]] = []
    status = 200
    if request.method == "POST":
        try:
            valid = form.is_valid()
        except TooLarge:
            return _too_large()
        if valid:
            upload = form.cleaned_data["file"]
            try:
                version = services.import_xlsform(upload, user=acting_user(request), file_name=upload.name)
            except services.XLSFormError as error:
                errors, status = error.errors, 400
            else:
                messages.success(request, _("Form imported: version %(version)s.") % {"version": version.version})
                return redirect("instruments:version", pk=version.pk)
        else:
            status = 400
    return render(request, "instruments/upload.html", {"form": form, "errors": errors}, status=status)


@permission_required(*selectors.READ_INSTRUMENT)
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    instrument = selectors.instrument_for(user, pk)
    versions = list(instrument.versions.defer(*selectors.VERSION_PAYLOAD).order_by("-imported_at", "-pk"))
    can_view = access.has_perm(user, P.VIEW_SUBMISSIONS)
    return render(
        request,
        "instruments/detail.html",
        {
            "instrument": instrument,
            "versions": versions,
            "submission_count": selectors.submissions_visible(user, instrument).count() if can_view else None,
            "imports": instrument.imports.defer("errors")[:10] if access.has_perm(user, P.IMPORT) else [],
            "can_submit": access.has_perm(user, P.SUBMIT),
            "can_import": access.has_perm(user, P.IMPORT),
            "can_pull": access.has_perm(user, P.IMPORT) and odk_central.configured(),
        },
    )


@permission_required(*selectors.READ_INSTRUMENT)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_for(acting_user(request), pk)
    language = str(version.settings.get("default_language", ""))
    rows = [
        {
            "path": item.path,
            "type": item.type,
            "label": localized(item.label, language),
            "relevant": item.relevant,
            "required": item.required,
            "constraint": item.constraint,
            "calculation": item.calculation,
            "list_name": item.list_name,
        }
        for item in walk(fields_from_survey(version.survey))
    ]
    return render(
        request,
        "instruments/version.html",
        {"version": version, "rows": rows, "can_manage": access.has_perm(request.user, P.MANAGE)},
    )


@permission_required(P.SUBMIT)
def version_fill(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    version = selectors.version_for(user, pk)
    definition = FormDefinition.of(version)
    if request.method == "POST":
        answers = answers_from_post(definition, request.POST)
        try:
            submission = services.save_web_submission(
                version,
                answers,
                user=user,
                idempotency_key=request.POST.get("idempotency_key") or None,
                start=request.POST.get("__start", ""),
            )
        except services.SubmissionInvalid:
            evaluation = evaluate(definition, answers, metadata=None)
            context = {"version": version, "nodes": render_tree(definition, answers, evaluation), "has_errors": True}
            return render(request, "instruments/fill.html", {**context, **_fill_extras(request)}, status=400)
        messages.success(request, _("Answers saved."))
        if access.has_perm(user, P.VIEW_SUBMISSIONS):
            return redirect("instruments:submission", pk=submission.pk)
        return redirect("instruments:fill", pk=version.pk)
    evaluation = evaluate(definition, {}, metadata=None)
    evaluation.errors = {}  # a fresh form shows no "required" errors yet
    context = {"version": version, "nodes": render_tree(definition, {}, evaluation), "has_errors": False}
    return render(request, "instruments/fill.html", {**context, **_fill_extras(request)})


def _fill_extras(request: HttpRequest) -> dict[str, str]:
    return {
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        "start": request.POST.get("__start") or timezone.now().isoformat(timespec="seconds"),
    }


@require_POST
@permission_required(P.SUBMIT)
def version_relevance(request: HttpRequest, pk: int) -> JsonResponse:
    """Which questions the page should hide, the calculated values and the labels that show answers
    (``${name}``), for the answers so far."""
    version = selectors.version_for(acting_user(request), pk)
    definition = FormDefinition.of(version)
    answers = answers_from_post(definition, request.POST)
    evaluation = evaluate(definition, answers, metadata=None)
    return JsonResponse(
        {
            "hidden": sorted(evaluation.hidden),
            "values": {key: str(value) for key, value in evaluation.values.items()},
            "labels": live_labels(render_tree(definition, answers, evaluation)),
        }
    )


def _export(
    request: HttpRequest, version: InstrumentVersion, body: bytes, content_type: str, extension: str
) -> HttpResponse:
    audit_record(actor=acting_user(request), action=AuditAction.EXPORT, obj=version, summary=extension)
    response = HttpResponse(body, content_type=content_type)
    name = f"{version.instrument.form_id}-{version.version}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required(P.MANAGE)
def version_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_for(acting_user(request), pk)
    return _export(
        request,
        version,
        bytes(version.xlsx),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


@permission_required(P.MANAGE)
def version_xform(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_for(acting_user(request), pk)
    return _export(request, version, version.xform_xml.encode(), "application/xml", "xml")


@permission_required(P.VIEW_SUBMISSIONS)
def submission_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    instrument = selectors.instrument_for(user, pk)
    rows = (
        selectors.submissions_visible(user, instrument)
        .defer("data", *(f"version__{name}" for name in selectors.VERSION_PAYLOAD))
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "instruments/submissions.html", {"instrument": instrument, "page": page})


@permission_required(P.VIEW_SUBMISSIONS)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    submission = selectors.submission_for(user, pk)
    definition = FormDefinition.of(submission.version)
    answers = []
    for item in walk(definition.fields):
        if item.is_section or item.path not in submission.data:
            continue
        value = submission.data[item.path]
        if item.list_name:
            labels = dict(definition.options(item))
            value = ", ".join(labels.get(name, name) for name in str(value).split())
        answers.append({"label": definition.label(item.label) or item.name, "path": item.path, "value": value})
    labels = {item.path: definition.label(item.label) or item.name for item in walk(definition.fields)}
    repeats = [
        {
            "label": labels[item.path],
            "instances": [
                [(labels.get(path, path), value) for path, value in instance.items()]
                for instance in submission.data.get(item.path, [])
            ],
        }
        for item in walk(definition.fields)
        if item.is_repeat and submission.data.get(item.path)
    ]
    audit_read(actor=user, obj=submission, request=request)
    return render(
        request, "instruments/submission.html", {"submission": submission, "answers": answers, "repeats": repeats}
    )


@permission_required(P.IMPORT)
def submission_import(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    instrument = selectors.instrument_for(user, pk)
    form = SubmissionUploadForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, object]] = []
    status = 200
    if request.method == "POST":
        try:
            valid = form.is_valid()
        except TooLarge:
            return _too_large()
        if valid:
            upload = form.cleaned_data["file"]
            try:
                result = services.import_submissions(instrument, upload, user=user, file_name=upload.name)
            except services.SubmissionFileError as error:
                errors, status = error.errors, 400
            else:
                messages.success(
                    request,
                    _("%(imported)s submissions imported, %(present)s already present.")
                    % {"imported": result.imported, "present": result.already_present},
                )
                return redirect("instruments:detail", pk=instrument.pk)
        else:
            status = 400
    return render(
        request,
        "instruments/import.html",
        {"instrument": instrument, "form": form, "errors": errors[:200], "error_count": len(errors)},
        status=status,
    )


@require_POST
@permission_required(P.IMPORT)
def submission_pull(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    instrument = selectors.instrument_for(user, pk)
    if not odk_central.configured():
        messages.error(request, _("No ODK Central server is configured."))
        return redirect("instruments:detail", pk=instrument.pk)
    try:
        result = odk_central.pull_submissions(instrument, user=user)
    except services.SubmissionFileError as error:
        messages.error(request, str(error))
    except odk_central.CentralUnavailable as error:
        messages.error(request, _("ODK Central could not be reached: %(error)s") % {"error": error})
    else:
        messages.success(
            request,
            _("%(imported)s submissions imported, %(present)s already present.")
            % {"imported": result.imported, "present": result.already_present},
        )
    return redirect("instruments:detail", pk=instrument.pk)
