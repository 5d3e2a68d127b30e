"""Staff pages: intake, hotline log, triage queue, alert page and its actions. Thin: parse, call one
service, render. Public pages (report, track) are in ``public_views``."""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import reduce
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ruta.alerts import forms, hotline, intake, priority, reporter_contact, selectors, triage
from ruta.alerts.models import Alert, AlertEvent, AlertPerson, CommunitySignal, HotlineCall, PriorityRule
from ruta.alerts.permissions import AlertPermission
from ruta.alerts.person_screening import SCREENING_SUBJECT, alert_person_screen
from ruta.alerts.priority import CSE_CHILD_RULE
from ruta.audit.services import audit_read
from ruta.cases.permissions import CasePermission
from ruta.core.http import AuthenticatedHttpRequest
from ruta.geo.models import Department
from ruta.policy import access
from ruta.policy.decorators import permission_required
from ruta.screening.errors import ScreeningError
from ruta.screening.forms import ScreeningForm
from ruta.screening.models import ScreeningRecord
from ruta.screening.permissions import ScreeningPermission
from ruta.screening.selectors import form_catalogue, screening_records_for_subject

PAGE_SIZE = 25


def _add_errors(form: Any, exc: intake.AlertInputError) -> None:
    for name, items in exc.errors.items():
        target = name if name in form.fields else None
        for _code, message in items:
            form.add_error(target, message)


# --- intake --------------------------------------------------------------------------------------


@permission_required(AlertPermission.CREATE)
def alert_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.StaffAlertForm(request.POST or None)
    persons = forms.PersonFormSet(request.POST or None, prefix="person")
    if request.method == "POST" and form.is_valid() and persons.is_valid():
        try:
            data = intake.clean_submission(form.raw_submission(forms.persons_from(persons)))
            _status, body = intake.alert_submit_once(
                actor=request.user,
                data=data,
                channel=form.cleaned_data["channel"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                payload=request.POST.dict(),
            )
        except intake.AlertInputError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Alert %(reference)s recorded with priority %(priority)s. Tracking code: %(code)s")
                % {"reference": body["reference"], "priority": body["priority"], "code": body["tracking_code"]},
            )
            if access.has_perm(request.user, AlertPermission.VIEW):
                return redirect("alerts:detail", reference=body["reference"])
            return redirect("alerts:new")
    return render(request, "alerts/new.html", {"form": form, "persons": persons})


@permission_required(AlertPermission.HOTLINE_LOG)
def hotline_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    call_form = forms.HotlineCallForm(request.POST or None)
    is_alert = request.method != "POST" or request.POST.get("is_alert") == "on"
    form = forms.HotlineAlertForm(request.POST or None, is_alert=is_alert)
    persons = forms.PersonFormSet(request.POST or None, prefix="person")
    if request.method == "POST" and call_form.is_valid() and form.is_valid() and persons.is_valid():
        try:
            data = intake.clean_submission(form.raw_submission(forms.persons_from(persons))) if is_alert else None
            call, submitted = hotline.hotline_call_log(
                actor=request.user,
                call=hotline.HotlineCallInput(
                    call_started_at=call_form.cleaned_data["call_started_at"],
                    duration_seconds=call_form.cleaned_data["duration_minutes"] * 60,
                    caller_type=call_form.cleaned_data["caller_type"],
                    caller_phone=call_form.cleaned_data["caller_phone"],
                    topic_note=call_form.cleaned_data["topic_note"],
                ),
                alert_data=data,
            )
        except intake.AlertInputError as exc:
            _add_errors(form, exc)
        else:
            repeats = len(hotline.previous_calls(call))
            if repeats:
                messages.warning(
                    request, _("Repeat caller: %(count)d earlier call(s) from this number.") % {"count": repeats}
                )
            if submitted is not None:
                messages.success(
                    request,
                    _("Call logged as alert %(reference)s (%(priority)s).")
                    % {"reference": submitted.alert.reference, "priority": submitted.alert.priority},
                )
                return redirect("alerts:detail", reference=submitted.alert.reference)
            messages.success(request, _("Call logged."))
            return redirect("alerts:hotline")
    recent = HotlineCall.objects.filter(operator=request.user).select_related("alert")[:10]
    return render(
        request, "alerts/hotline.html", {"call_form": call_form, "form": form, "persons": persons, "recent": recent}
    )


# --- queue ---------------------------------------------------------------------------------------


@permission_required(AlertPermission.VIEW)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    departments = list(Department.objects.order_by("code").values_list("code", "name"))
    form = forms.QueueFilterForm(request.GET or None, departments=departments)
    filters = selectors.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            priority=data["priority"],
            department=data["department"],
            status=data["status"] or "open",
            overdue=data["overdue"],
            mine=data["mine"],
        )
    rows = selectors.alert_queue(actor=request.user, filters=filters).prefetch_related("persons")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    catalogue = {signal.code: signal for signal in CommunitySignal.objects.all()}
    items = [
        {
            "alert": alert,
            "ack_overdue": alert.acknowledge_overdue(now),
            "response_overdue": alert.first_response_overdue(now),
            "holder": alert.lock_holder(now),
            "age_groups": selectors.age_groups(alert.persons.all()),
            "signals": [catalogue[code] for code in alert.signal_codes if code in catalogue],
        }
        for alert in page
    ]
    return render(
        request,
        "alerts/queue.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "can_create": access.has_perm(request.user, AlertPermission.CREATE),
            "can_log_calls": access.has_perm(request.user, AlertPermission.HOTLINE_LOG),
        },
    )


# --- the alert page ------------------------------------------------------------------------------


def _rule_label(code: str | None) -> str:
    if not code:
        return _("No rule matched: lowest priority.")
    if code == CSE_CHILD_RULE:
        return _("A formal screening recorded commercial sexual exploitation of a child.")
    registered = priority.registered_rule_label(code)
    if registered is not None:
        return str(registered)
    rule = PriorityRule.objects.filter(code=code).first()
    return rule.label if rule else code


@permission_required(AlertPermission.VIEW)
def detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = selectors.alert_get(actor=request.user, reference=reference)
    return render(request, "alerts/detail.html", _detail_context(request, alert))


def _detail_context(request: AuthenticatedHttpRequest, alert: Alert, **extra: Any) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    bound_screening = extra.pop("screening_form", None)
    may_triage = selectors.can_triage(user, alert)
    read_narrative = selectors.can_read_narrative(user, alert)
    if read_narrative:
        audit_read(actor=user, obj=alert, request=request, reason="alert narrative")
    signals = {s.code: s for s in CommunitySignal.objects.filter(code__in=alert.signal_codes)}
    persons = list(alert.persons.select_related("person"))
    call = HotlineCall.objects.filter(alert=alert).first()
    events = AlertEvent.objects.filter(alert=alert).select_related("actor").order_by("at", "id")
    context: dict[str, Any] = {
        "alert": alert,
        "now": now,
        "can_triage": may_triage and alert.is_open,
        "read_narrative": read_narrative,
        "signals": [signals[code] for code in alert.signal_codes if code in signals],
        "persons": persons,
        "rule_label": _rule_label(alert.priority_rationale.get("rule")),
        "facts": alert.priority_rationale.get("facts", []),
        "palermo": alert.palermo_reading,
        "events": events,
        "call": call,
        "previous_calls": hotline.previous_calls(call) if call and may_triage else [],
        "ack_overdue": alert.acknowledge_overdue(now),
        "response_overdue": alert.first_response_overdue(now),
        "holder": alert.lock_holder(now),
    }
    if _can_screen(user, alert):
        context["screenings"] = _screenings(alert, persons, bound=bound_screening)
    if may_triage and alert.is_open:
        context.update(
            {
                "assign_form": forms.AssignForm(actor=user, department_id=alert.department_id),
                "note_form": forms.NoteForm(),
                "close_form": forms.CloseForm(),
                "refer_form": forms.ReferForm(),
                "merge_form": forms.MergeForm(),
                "case_form": forms.OpenCaseForm(alert_persons=persons),
                "can_open_case": access.has_perm(user, CasePermission.CREATE),
                "reveal_form": forms.RevealForm(),
                "duplicates": selectors.suggested_duplicates(actor=user, alert=alert),
            }
        )
    context.update(extra)
    return context


# --- formal screening of each person (ILO–EC indicators) ---------------------------------------------


def _can_screen(user: Any, alert: Alert) -> bool:
    """Formal screening needs SCREENING_RUN reaching this alert (territory, institution, own…)."""
    return access.has_perm(user, ScreeningPermission.RUN) and (
        access.visible(user, ScreeningPermission.RUN, Alert.objects.filter(pk=alert.pk)).exists()
    )


def _screening_prefix(person: AlertPerson) -> str:
    return f"screen-{person.pk}"


def _screening_initial(alert: Alert, person: AlertPerson) -> dict[str, Any]:
    """What the reporter said about the person, as a starting point the responder corrects."""
    presumed = {"child": "yes", "adult": "no"}.get(person.age_group, "")
    # Paid sex reported (S12) points to the sexual-exploitation list; otherwise the responder chooses
    # (a "labour" default biased screenings of sexual exploitation).
    exploitation = "sexual" if "S12" in (alert.signal_codes or []) else ""
    return {"age": person.age, "presumed_child": presumed, "exploitation": exploitation}


def _screenings(alert: Alert, persons: list[AlertPerson], bound: ScreeningForm | None = None) -> list[dict[str, Any]]:
    """Per person: the saved screenings (newest first, one query for all persons) and, while the alert
    is open, a screening form (``bound`` replaces the form of the person it was posted for)."""
    records: dict[str, list[ScreeningRecord]] = {}
    if persons:
        queryset = reduce(
            operator.or_,
            [screening_records_for_subject(subject_type=SCREENING_SUBJECT, subject_id=p.pk) for p in persons],
        )
        for record in queryset.order_by("-created_at", "-pk"):
            records.setdefault(record.subject_id, []).append(record)
    rows = []
    catalogue = (bound.catalogue if bound is not None else form_catalogue()) if alert.is_open else None
    for person in persons:
        form: ScreeningForm | None = None
        active = bound is not None and bound.prefix == _screening_prefix(person)
        if alert.is_open:
            form = (
                bound
                if active
                else ScreeningForm(
                    initial=_screening_initial(alert, person), prefix=_screening_prefix(person), catalogue=catalogue
                )
            )
        rows.append({"person": person, "records": records.get(str(person.pk), []), "form": form, "active": active})
    return rows


@require_POST
@permission_required(ScreeningPermission.RUN)
def screen_person(request: AuthenticatedHttpRequest, reference: str, person: int) -> HttpResponse:
    """Record a formal screening of one person of the alert; the result and its rationale are shown
    on the alert page. "refresh" (no JavaScript) shows the indicator list for the answers given."""
    alert = selectors.alert_get(actor=request.user, reference=reference)
    subject = AlertPerson.objects.filter(alert=alert, pk=person).first()
    if subject is None or not alert.is_open or not _can_screen(request.user, alert):
        raise Http404
    prefix = _screening_prefix(subject)
    if "refresh" in request.POST:
        form = ScreeningForm.refreshed(request.POST, prefix=prefix)
        return _screening_page(request, alert, form, status=200)
    form = ScreeningForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            record = alert_person_screen(actor=request.user, alert=alert, person=subject, **form.service_kwargs())
        except ScreeningError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Screening recorded: %(outcome)s. The rationale is shown with the person.")
                % {"outcome": record.display["outcome_label"]},
            )
            detail_url = reverse("alerts:detail", kwargs={"reference": alert.reference})
            return redirect(f"{detail_url}#screening-person-{subject.pk}")
    return _screening_page(request, alert, form, status=400)


def _screening_page(request: AuthenticatedHttpRequest, alert: Alert, form: ScreeningForm, status: int) -> HttpResponse:
    context = _detail_context(request, alert, screening_form=form)
    return render(request, "alerts/detail.html", context, status=status)


def _triage_target(request: AuthenticatedHttpRequest, reference: str) -> Alert:
    return selectors.alert_get(actor=request.user, reference=reference, permission=AlertPermission.TRIAGE)


def _done(request: AuthenticatedHttpRequest, alert: Alert, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("alerts:detail", reference=alert.reference)


def _refused(request: AuthenticatedHttpRequest, alert: Alert, exc: Exception) -> HttpResponse:
    if isinstance(exc, PermissionError):
        raise Http404 from exc
    messages.error(request, str(exc))
    return redirect("alerts:detail", reference=alert.reference)


@require_POST
@permission_required(AlertPermission.TRIAGE)
def take(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)
    try:
        triage.alert_take(actor=request.user, alert=alert)
    except (triage.TriageError, PermissionError) as exc:
        return _refused(request, alert, exc)
    return _done(
        request,
        alert,
        _("You are handling this alert for the next %(minutes)d minutes.") % {"minutes": triage.LOCK_MINUTES},
    )


@require_POST
@permission_required(AlertPermission.TRIAGE)
def release(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)
    try:
        triage.alert_release(actor=request.user, alert=alert)
    except (triage.TriageError, PermissionError) as exc:
        return _refused(request, alert, exc)
    return _done(request, alert, _("Alert released."))


@require_POST
@permission_required(AlertPermission.TRIAGE)
def acknowledge(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)
    try:
        triage.alert_acknowledge(actor=request.user, alert=alert)
    except (triage.TriageError, PermissionError) as exc:
        return _refused(request, alert, exc)
    return _done(request, alert, _("Alert acknowledged."))


def _invalid(request: AuthenticatedHttpRequest, alert: Alert, form: Any) -> HttpResponse:
    errors = "; ".join(str(error) for field_errors in form.errors.values() for error in field_errors)
    messages.error(request, errors or _("Check the form."))
    return redirect("alerts:detail", reference=alert.reference)


def _triage_action(
    request: AuthenticatedHttpRequest, alert: Alert, form: Any, run: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """Validate the form, run one triage service and answer with its message, or with its refusal."""
    if not form.is_valid():
        return _invalid(request, alert, form)
    try:
        message = run(form.cleaned_data)
    except (triage.TriageError, PermissionError) as exc:
        return _refused(request, alert, exc)
    return _done(request, alert, message)


@require_POST
@permission_required(AlertPermission.TRIAGE)
def assign(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)

    def run(data: dict[str, Any]) -> str:
        triage.alert_assign(
            actor=request.user, alert=alert, responder=data["responder"], institution=data["institution"]
        )
        return _("Alert assigned.")

    form = forms.AssignForm(request.POST, actor=request.user, department_id=alert.department_id)
    return _triage_action(request, alert, form, run)


@require_POST
@permission_required(AlertPermission.TRIAGE)
def note(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)

    def run(data: dict[str, Any]) -> str:
        triage.alert_add_verification_note(actor=request.user, alert=alert, note=data["note"])
        return _("Note added; the alert is in verification.")

    return _triage_action(request, alert, forms.NoteForm(request.POST), run)


@require_POST
@permission_required(AlertPermission.TRIAGE)
def close(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)

    def run(data: dict[str, Any]) -> str:
        triage.alert_close(actor=request.user, alert=alert, status=data["status"], reason=data["reason"])
        return _("Alert closed.")

    return _triage_action(request, alert, forms.CloseForm(request.POST), run)


@require_POST
@permission_required(AlertPermission.TRIAGE)
def refer(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)

    def run(data: dict[str, Any]) -> str:
        triage.alert_refer(
            actor=request.user, alert=alert, institution=data["institution"], reason=data["reason"], note=data["note"]
        )
        return _("Alert referred.")

    return _triage_action(request, alert, forms.ReferForm(request.POST), run)


@require_POST
@permission_required(AlertPermission.TRIAGE)
def merge(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)

    def run(data: dict[str, Any]) -> str:
        target = (
            access.visible(request.user, AlertPermission.TRIAGE, Alert.objects.all())
            .filter(reference=data["into"].strip().upper())
            .first()
        )
        if target is None:
            raise triage.TriageError(_("No alert you can triage has that reference."))
        triage.alert_merge(actor=request.user, alert=alert, into=target, note=data["note"])
        return _("Merged into %(reference)s.") % {"reference": target.reference}

    return _triage_action(request, alert, forms.MergeForm(request.POST), run)


@require_POST
@permission_required(AlertPermission.TRIAGE)
def open_case(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)
    persons = list(AlertPerson.objects.filter(alert=alert))

    def run(data: dict[str, Any]) -> str:
        chosen = [p for p in persons if str(p.pk) in data["persons"]]
        case = triage.alert_open_case(actor=request.user, alert=alert, alert_persons=chosen)
        return _("Case %(reference)s opened.") % {"reference": case.reference}

    return _triage_action(request, alert, forms.OpenCaseForm(request.POST, alert_persons=persons), run)


@require_POST
@permission_required(AlertPermission.TRIAGE)
def reveal_contact(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    alert = _triage_target(request, reference)
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        return _invalid(request, alert, form)
    try:
        revealed = reporter_contact.alert_reveal_contact(
            actor=request.user, alert=alert, reason=form.cleaned_data["reason"]
        )
    except (triage.TriageError, PermissionError) as exc:
        return _refused(request, alert, exc)
    alert = selectors.alert_get(actor=request.user, reference=reference)
    return render(request, "alerts/detail.html", _detail_context(request, alert, revealed=revealed))
