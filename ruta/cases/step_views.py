"""The steps on a case: one small page each (form → one service call → back to the case).

Every step form carries the case version; a stale one answers 409 with the user's entries kept and
the form re-based on the current version, so they can check the case and submit again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.cases import care, closure, forms, protection, services
from ruta.cases.duplicates import DUPLICATES_SEEN, duplicates_checked, likely_duplicates
from ruta.cases.models import CarePlan, Case, CaseClosure, CaseMember, Consent, FollowUp, NeedArea, Stage
from ruta.cases.permissions import CasePermission
from ruta.cases.protection import PERSON_SUBJECT
from ruta.cases.selectors import case_get
from ruta.core.http import AuthenticatedHttpRequest
from ruta.persons.models import Person
from ruta.policy import access
from ruta.policy.decorators import permission_required
from ruta.policy.permissions import Permission
from ruta.screening import engine
from ruta.screening.errors import ScreeningError
from ruta.screening.forms import ScreeningForm
from ruta.screening.models import ScreeningRecord
from ruta.screening.permissions import ScreeningPermission
from ruta.screening.selectors import screening_records_for_subject
from ruta.screening.services import screening_record_create


@dataclass(frozen=True)
class Call:
    actor: Any
    case: Case
    version: int
    data: dict[str, Any]
    form: Any
    target: Any


SAVE = _("Save")


@dataclass(frozen=True)
class Step:
    title: Promise
    form: type[forms.VersionedForm]
    run: Callable[[Call], Any]
    done: Promise
    permission: Permission = CasePermission.EDIT
    target: Callable[[Case, int | None], Any] | None = None
    intro: Promise | str = ""
    button: Promise = SAVE


def _in_case(model: type[models.Model], **extra: Any) -> Callable[[Case, int | None], Any]:
    def find(case: Case, pk: int | None) -> Any:
        found = model._default_manager.filter(case=case, pk=pk, **extra).first()
        if found is None:
            raise Http404
        return found

    return find


def _plan(*, awaiting: bool) -> Callable[[Case, int | None], Any]:
    def find(case: Case, pk: int | None) -> CarePlan:
        plan = care.current_plan(case)
        if plan is None or (awaiting and (plan.submitted_at is None or plan.approved_at)):
            raise Http404
        if not awaiting and plan.submitted_at is not None:
            raise Http404
        return plan

    return find


def _pending_closure(case: Case, pk: int | None) -> CaseClosure:
    closure = CaseClosure.objects.filter(case=case, approved__isnull=True).select_related("reason").first()
    if closure is None or case.stage != Stage.CLOSURE_REQUESTED:
        raise Http404
    return closure


def _needs(call: Call) -> Any:
    entries = [
        care.NeedEntry(
            area=area,
            level=call.data.get(f"{area}-level") or "",
            notes=call.data.get(f"{area}-notes") or "",
            due_on=call.data.get(f"{area}-due_on"),
        )
        for area in NeedArea.values
    ]
    return care.needs_assessment_record(actor=call.actor, case=call.case, version=call.version, entries=entries)


def _common(call: Call) -> dict[str, Any]:
    return {"actor": call.actor, "case": call.case, "version": call.version}


STEPS: dict[str, Step] = {
    "person_add": Step(
        _("Add a person to the case"),
        forms.PersonAddForm,
        lambda c: services.case_person_add(**_common(c), role=c.data["role"], person=c.form.to_input()),
        _("Person added."),
        intro=_("A guardian or representative, a relative, another presumed victim… Identity data are encrypted."),
    ),
    "identify": Step(
        _("Identification decision"),
        forms.IdentificationForm,
        lambda c: protection.identification_record(
            **_common(c),
            person=c.data["person"],
            outcome=c.data["outcome"],
            institution=c.data["institution"],
            decided_on=c.data["decided_on"],
            basis=c.data["basis"],
            screening_record_id=c.data.get("screening_record_id"),
        ),
        _("Identification decision recorded."),
        intro=_("Recorded by the competent institution; screening supports the decision, it never decides alone."),
    ),
    "reflection": Step(
        _("Reflection and recovery period"),
        forms.ReflectionForm,
        lambda c: protection.reflection_period_record(
            **_common(c), person=c.data["person"], starts_on=c.data["starts_on"], ends_on=c.data["ends_on"]
        ),
        _("Reflection period recorded."),
    ),
    "consent": Step(
        _("Record consent"),
        forms.ConsentForm,
        lambda c: protection.consent_record(
            **_common(c),
            person=c.data["person"],
            purpose=c.data["purpose"],
            granted=c.data["granted"],
            referral_id=c.data.get("referral_id"),
            guardian=c.data.get("guardian"),
            authority=c.data.get("authority"),
        ),
        _("Consent recorded."),
        intro=_(
            "One purpose at a time. A child's consent is recorded with the guardian or the child-protection authority."
        ),
    ),
    "consent_withdraw": Step(
        _("Withdraw consent"),
        forms.ConfirmForm,
        lambda c: protection.consent_withdraw(**_common(c), consent=c.target),
        _("Consent withdrawn."),
        target=_in_case(Consent),
        button=_("Withdraw"),
    ),
    "child_notify": Step(
        _("Notification of the child-protection authority"),
        forms.ChildNotificationForm,
        lambda c: protection.child_notification_record(
            **_common(c),
            institution=c.data["institution"],
            notified_at=c.data["notified_at"],
            means=c.data["means"],
            authority_reference=c.data.get("authority_reference", ""),
            authority_represents=c.data.get("authority_represents", False),
        ),
        _("Notification recorded."),
    ),
    "best_interests": Step(
        _("Best-interests decision"),
        forms.BestInterestsForm,
        lambda c: protection.best_interests_record(
            **_common(c),
            person=c.data["person"],
            purpose=c.data["purpose"],
            decided_on=c.data["decided_on"],
            institution=c.data["institution"],
            decision=c.data["decision"],
        ),
        _("Best-interests decision recorded."),
    ),
    "needs": Step(
        _("Needs assessment"),
        forms.NeedsForm,
        _needs,
        _("Needs assessment saved."),
        intro=_("Give each area a level when assessed; an area not assessed yet can get a due date."),
    ),
    "plan_submit": Step(
        _("Submit the plan for approval"),
        forms.ConfirmForm,
        lambda c: care.plan_submit(**_common(c), plan=c.target),
        _("Plan submitted for approval."),
        target=_plan(awaiting=False),
        button=_("Submit"),
    ),
    "plan_decide": Step(
        _("Approve the care and protection plan"),
        forms.DecisionForm,
        lambda c: care.plan_decide(
            **_common(c), plan=c.target, approve=c.data["decision"] == "approve", comment=c.data.get("comment", "")
        ),
        _("Decision on the plan recorded."),
        permission=CasePermission.APPROVE,
        target=_plan(awaiting=True),
    ),
    "service": Step(
        _("Service delivered"),
        forms.ServiceForm,
        lambda c: care.service_record(
            **_common(c),
            service=c.data["service"],
            institution=c.data["institution"],
            delivered_on=c.data["delivered_on"],
            notes=c.data.get("notes", ""),
        ),
        _("Service recorded."),
    ),
    "follow_up": Step(
        _("Schedule a follow-up"),
        forms.FollowUpForm,
        lambda c: care.follow_up_schedule(
            **_common(c), due_on=c.data["due_on"], purpose=c.data["purpose"], assigned_to=c.data["assigned_to"]
        ),
        _("Follow-up scheduled."),
    ),
    "follow_up_done": Step(
        _("Follow-up done"),
        forms.FollowUpDoneForm,
        lambda c: care.follow_up_complete(**_common(c), follow_up=c.target, outcome=c.data["outcome"]),
        _("Follow-up recorded."),
        target=_in_case(FollowUp, done_at__isnull=True),
    ),
    "member_add": Step(
        _("Add a team member"),
        forms.MemberAddForm,
        lambda c: services.case_member_add(
            **_common(c), user=c.data["membership"].user, institution=c.data["membership"].institution
        ),
        _("Team member added."),
        intro=_("Team members see the identities of the people in this case."),
    ),
    "member_remove": Step(
        _("Remove a team member"),
        forms.ConfirmForm,
        lambda c: services.case_member_remove(**_common(c), member=c.target),
        _("Team member removed."),
        target=_in_case(CaseMember, is_active=True),
        button=_("Remove"),
    ),
    "close": Step(
        _("Request closure"),
        forms.ClosureRequestForm,
        lambda c: closure.case_closure_request(
            **_common(c), reason=c.data["reason"], closed_on=c.data["closed_on"], notes=c.data.get("notes", "")
        ),
        _("Closure requested: a supervisor has to approve it."),
    ),
    "close_decide": Step(
        _("Approve the closure"),
        forms.DecisionForm,
        lambda c: closure.case_closure_decide(
            **_common(c), approve=c.data["decision"] == "approve", comment=c.data.get("comment", "")
        ),
        _("Decision on the closure recorded."),
        permission=CasePermission.APPROVE,
        target=_pending_closure,
    ),
    "reopen": Step(
        _("Reopen the case"),
        forms.ReopenForm,
        lambda c: closure.case_reopen(**_common(c), reason=c.data["reason"]),
        _("Case reopened."),
    ),
}


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("lead_institution", "municipality", "owner").get(pk=case.pk)


def _add_error(form: Any, error: services.CaseError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def step_view(request: AuthenticatedHttpRequest, reference: str, step: str, pk: int | None = None) -> HttpResponse:
    spec = STEPS[step]
    case = case_get(request.user, reference, spec.permission)
    target = spec.target(case, pk) if spec.target else None
    form = spec.form(request.POST or None, case=case, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        checked = duplicates_checked([form]) if form.is_valid() and step == "person_add" else None
        if checked is not None and request.POST.get(DUPLICATES_SEEN) != checked:
            duplicates = likely_duplicates(request.user, [form])
            if duplicates:
                context = {
                    "case": case, "form": form, "step": spec, "step_name": step,
                    "duplicates": duplicates, "duplicates_checked": checked,
                }  # fmt: skip
                return render(request, "cases/step.html", context)
        if form.is_valid():
            call = Call(request.user, case, form.cleaned_data["version"], form.cleaned_data, form, target)
            try:
                spec.run(call)
            except services.CaseConflict as conflict:
                case, form = _rebased_on_conflict(spec.form, request.POST, case, request.user, conflict)
                status = 409
            except services.CaseError as error:
                _add_error(form, error)
            else:
                messages.success(request, str(spec.done))
                return redirect("cases:detail", reference=case.reference)
    context = {"case": case, "form": form, "step": spec, "step_name": step, "target": target}
    return render(request, "cases/step.html", context, status=status)


def _rebased_on_conflict(
    form_class: Any, data: Any, case: Case, user: Any, conflict: services.CaseConflict
) -> tuple[Case, Any]:
    """Someone else saved the case meanwhile: keep what this user typed, rebase it on the current
    version and say so, so nothing is lost and nothing is silently overwritten."""
    case = _fresh(case)
    rebased = data.copy()
    rebased["version"] = str(case.version)
    form = form_class(rebased, case=case, user=user)
    form.is_valid()
    form.add_error(None, conflict.message)
    return case, form


def _guarded(step: str) -> Callable[..., HttpResponse]:
    spec = STEPS[step]

    @permission_required(spec.permission)
    def view(request: AuthenticatedHttpRequest, reference: str, pk: int | None = None) -> HttpResponse:
        return step_view(request, reference, step, pk)

    view.__name__ = f"case_{step}"
    return view


STEP_VIEWS = {name: _guarded(name) for name in STEPS}


# --- identification with a formal screening done in place ------------------------------------------

SCREENING_PREFIX = "screening"


def _can_screen(user: Any, case: Case) -> bool:
    return access.has_perm(user, ScreeningPermission.RUN) and (
        access.visible(user, ScreeningPermission.RUN, Case.objects.filter(pk=case.pk)).exists()
    )


@dataclass(frozen=True)
class Screened:
    record: ScreeningRecord
    note: Promise | None = None  # where it was done, when before the case ("during triage of the alert")


def _screening_records(persons: list[Person]) -> dict[int, list[Screened]]:
    """Each person's formal screenings, newest first: those of the person in the case and those of
    the records they were before it, e.g. the alert person in triage (one query for the records)."""
    earlier = {subject.subject_type: (subject, subject.became(persons)) for subject in protection.earlier_subjects()}
    subjects = [(PERSON_SUBJECT, person.pk) for person in persons]
    subjects += [(kind, subject_id) for kind, (_subject, became) in earlier.items() for subject_id in became]
    found: dict[int, list[Screened]] = {person.pk: [] for person in persons}
    if not subjects:
        return found
    queries: list[QuerySet[ScreeningRecord]] = [
        screening_records_for_subject(subject_type=kind, subject_id=pk) for kind, pk in subjects
    ]
    queryset = queries[0]
    for query in queries[1:]:
        queryset = queryset | query
    for record in queryset.order_by("-created_at", "-pk"):
        subject_id = int(record.subject_id)
        if record.subject_type == PERSON_SUBJECT:
            found[subject_id].append(Screened(record))
        else:
            subject, became = earlier[record.subject_type]
            found[became[subject_id]].append(Screened(record, subject.note))
    return found


def _screening_initial(case: Case, victims: list[Person]) -> dict[str, Any]:
    # The case's recorded form of exploitation, if it is one the screening knows; otherwise the
    # screener chooses (a default would bias the screening).
    known = case.exploitation in engine.EXPLOITATION_TYPES
    initial: dict[str, Any] = {"exploitation": case.exploitation if known else ""}
    if len(victims) == 1:
        victim = victims[0]
        initial["age"] = victim.age_years
        initial["presumed_child"] = {"child": "yes", "adult": "no"}.get(victim.age_group, "")
    return initial


@permission_required(CasePermission.EDIT)
def identify_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The identification decision, with the victims' formal screenings (result and rationale) shown
    and, for those who may screen, a screening recorded in place and attached to the decision (one
    transaction: a refused decision keeps no screening)."""
    spec = STEPS["identify"]
    case = case_get(request.user, reference, spec.permission)
    can_screen = _can_screen(request.user, case)
    victims = list(services.presumed_victims(case))
    post = request.POST if request.method == "POST" else None
    screen_now = bool(can_screen and post is not None and post.get("screen_now"))
    status = 200
    if post is not None and "refresh" in post:
        # No JavaScript: show the indicator list for the answers given, keeping every entry.
        form = forms.IdentificationForm(initial=post.dict(), case=case, user=request.user)
        screening = ScreeningForm.refreshed(post, prefix=SCREENING_PREFIX) if can_screen else None
        return _identify_page(request, case, spec, form, screening, victims, can_screen, status)
    form = forms.IdentificationForm(post, case=case, user=request.user)
    screening = None
    if can_screen:
        if screen_now:
            screening = ScreeningForm(post, prefix=SCREENING_PREFIX)
        elif post is not None:
            screening = ScreeningForm.refreshed(post, prefix=SCREENING_PREFIX)
        else:
            screening = ScreeningForm(initial=_screening_initial(case, victims), prefix=SCREENING_PREFIX)
    if post is not None:
        status = 400
        screening_ok = screening.is_valid() if screen_now and screening is not None else True
        if form.is_valid() and screening_ok:
            data = form.cleaned_data
            person = data["person"]
            attached = data.get("screening_record_id")
            try:
                with transaction.atomic():
                    record = None
                    if screen_now and screening is not None:
                        record = screening_record_create(
                            actor=request.user,
                            subject_type=PERSON_SUBJECT,
                            subject_id=person.pk,
                            **screening.service_kwargs(),
                        )
                        attached = record.pk
                    protection.identification_record(
                        actor=request.user,
                        case=case,
                        version=data["version"],
                        person=person,
                        outcome=data["outcome"],
                        institution=data["institution"],
                        decided_on=data["decided_on"],
                        basis=data["basis"],
                        screening_record_id=attached,
                    )
            except services.CaseConflict as conflict:
                case, form = _rebased_on_conflict(forms.IdentificationForm, post, case, request.user, conflict)
                status = 409
            except services.CaseError as error:
                _add_error(form, error)
            except ScreeningError as error:
                if screening is not None:
                    screening.add_error(None, str(error))
            else:
                if record is not None:
                    messages.success(
                        request,
                        _("Identification decision recorded with formal screening #%(number)s: %(outcome)s.")
                        % {"number": record.pk, "outcome": record.display["outcome_label"]},
                    )
                else:
                    messages.success(request, str(spec.done))
                return redirect("cases:detail", reference=case.reference)
    return _identify_page(request, case, spec, form, screening, victims, can_screen, status)


def _identify_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    spec: Step,
    form: forms.IdentificationForm,
    screening: ScreeningForm | None,
    victims: list[Person],
    can_screen: bool,
    status: int,
) -> HttpResponse:
    records = _screening_records(victims)
    context = {
        "case": case,
        "form": form,
        "step": spec,
        "step_name": "identify",
        "screening_form": screening,
        "can_screen": can_screen,
        "victim_screenings": [{"person": person, "records": records.get(person.pk, [])} for person in victims],
    }
    return render(request, "cases/identify.html", context, status=status)


STEP_VIEWS["identify"] = identify_view


@permission_required(CasePermission.EDIT)
def plan_edit_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Write a new version of the care and protection plan (goals and services)."""
    case = case_get(request.user, reference, CasePermission.EDIT)
    current = care.current_plan(case)
    initial_items = (
        [
            {
                "service": i.service.code,
                "institution": i.institution.code,
                "starts_on": i.starts_on,
                "ends_on": i.ends_on,
            }
            for i in current.items.select_related("service", "institution")
        ]
        if current
        else []
    )
    form = forms.PlanForm(
        request.POST or None, case=case, user=request.user, initial={"goals": current.goals if current else ""}
    )
    items = forms.PlanItemFormSet(request.POST or None, prefix="items", initial=initial_items)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and items.is_valid():
            plan_items = [
                care.PlanItemInput(
                    service=f.cleaned_data["service"],
                    institution=f.cleaned_data["institution"],
                    starts_on=f.cleaned_data["starts_on"],
                    ends_on=f.cleaned_data.get("ends_on"),
                )
                for f in items.forms
                if f.has_changed()
            ]
            try:
                care.plan_save(
                    actor=request.user,
                    case=case,
                    version=form.cleaned_data["version"],
                    goals=form.cleaned_data["goals"],
                    items=plan_items,
                    submit=form.cleaned_data.get("submit_for_approval", False),
                )
            except services.CaseConflict as conflict:
                case, form = _rebased_on_conflict(forms.PlanForm, request.POST, case, request.user, conflict)
                status = 409
            except services.CaseError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Care and protection plan saved."))
                return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/plan.html", {"case": case, "form": form, "items": items}, status=status)
