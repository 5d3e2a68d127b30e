from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ruta.audit.services import audit_read
from ruta.cases.models import Case, CaseMember
from ruta.cases.permissions import CasePermission
from ruta.core.http import acting_user
from ruta.policy import access
from ruta.policy.decorators import permission_required
from ruta.referrals import services
from ruta.referrals.consent import ConsentInput, consent_missing, referral_consent_override, referral_consent_record
from ruta.referrals.forms import (
    ConsentForm,
    MilestoneForm,
    OutcomeForm,
    ReasonForm,
    ReferralFilterForm,
    ReferralForm,
)
from ruta.referrals.models import Referral, ReferralEvent, ReferralPerson, ReferralStatus
from ruta.referrals.permissions import ReferralPermission
from ruta.referrals.sections import shared_content
from ruta.referrals.selectors import (
    ReferralView,
    milestones_visible,
    referral_for,
    referrals_received,
    referrals_sent,
)
from ruta.referrals.steps import ReferralError

PAGE_SIZE = 25
LIST_PERMISSIONS = (ReferralPermission.SEND, ReferralPermission.RECEIVE)


@permission_required(*LIST_PERMISSIONS)
def referral_list(request: HttpRequest) -> HttpResponse:
    can_receive = access.has_perm(request.user, ReferralPermission.RECEIVE)
    can_send = access.has_perm(request.user, ReferralPermission.SEND)
    tab = request.GET.get("tab") or ("received" if can_receive else "sent")
    if tab not in ("sent", "received") or (tab == "received" and not can_receive):
        tab = "sent"
    rows = referrals_received(acting_user(request)) if tab == "received" else referrals_sent(acting_user(request))
    form = ReferralFilterForm(request.GET or None)
    rows = form.apply(rows).order_by("-sent_at", "-created_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/list.html",
        {"page": page, "form": form, "tab": tab, "can_receive": can_receive, "can_send": can_send},
    )


def _case_for_sender(request: HttpRequest) -> tuple[Case, CaseMember]:
    case = access.get_visible_or_404(
        request.user,
        ReferralPermission.SEND,
        Case.objects.select_related("municipality__department"),
        reference=request.GET.get("case") or request.POST.get("case", ""),
    )
    member = CaseMember.objects.filter(case=case, user_id=request.user.pk or 0, is_active=True).first()
    if member is None:
        raise Http404
    return case, member


def _can_override(user: Any, institution_id: int) -> bool:
    from ruta.referrals.selectors import receiving_institutions

    institutions = receiving_institutions(user, ReferralPermission.CONSENT_OVERRIDE)
    return institutions is None or institution_id in institutions


@permission_required(ReferralPermission.SEND)
def referral_new(request: HttpRequest) -> HttpResponse:
    case, member = _case_for_sender(request)
    can_override = _can_override(request.user, member.institution_id)
    form = ReferralForm(
        request.POST or None, case=case, exclude_institution_id=member.institution_id, can_override=can_override
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            consents = []
            for person in data["persons"]:
                choice = data.get(f"consent_{person.pk}")
                if choice:
                    consents.append(
                        ConsentInput(
                            person=person,
                            granted=choice == "granted",
                            guardian=data.get(f"guardian_{person.pk}"),
                            authority=data.get(f"authority_{person.pk}"),
                        )
                    )
            try:
                referral = services.referral_create(
                    actor=acting_user(request),
                    case=case,
                    persons=data["persons"],
                    service=data["service"],
                    urgency=data["urgency"],
                    shared_sections=data["shared_sections"],
                    reason=data["reason"],
                    consents=consents,
                    consent_override_reason=data.get("consent_override_reason", ""),
                    send=request.POST.get("action") != "draft",
                )
            except PermissionDenied:
                raise Http404 from None
            except ReferralError as error:
                _add_error(form, error)
            else:
                if referral.status == ReferralStatus.SENT:
                    messages.success(request, _("Referral %(reference)s sent.") % {"reference": referral.reference})
                else:
                    messages.success(request, _("Draft %(reference)s saved.") % {"reference": referral.reference})
                return redirect("referrals:detail", reference=referral.reference)
        status = 400
    return render(request, "referrals/new.html", {"form": form, "case": case}, status=status)


def _add_error(form: Any, error: ReferralError) -> None:
    field = error.field if error.field in form.fields else None
    if field is None and error.field.startswith("consent"):
        field = None
    form.add_error(field, str(error.message))


def _detail(
    request: HttpRequest, view: ReferralView, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    referral = view.referral
    audit_read(actor=acting_user(request), obj=referral, request=request)
    persons = [link.person for link in referral.referred.all()]
    context: dict[str, Any] = {
        "view": view,
        "referral": referral,
        "persons": persons,
        "events": ReferralEvent.objects.filter(referral=referral).select_related("actor"),
        "content": shared_content(actor=acting_user(request), referral=referral, request=request)
        if view.receiver_side
        else None,
        "milestones": milestones_visible(
            acting_user(request), referral.case, shared_legal=referral.shares("legal") and view.receiver_side
        ),
        "consent_missing": consent_missing(referral) if referral.status == ReferralStatus.DRAFT else [],
        "consent_form": ConsentForm(persons=persons, case=referral.case) if view.can_send else None,
        "override_form": ReasonForm(prefix="override") if view.can_override else None,
        "decline_form": ReasonForm(prefix="decline") if view.can_answer else None,
        "complete_form": OutcomeForm() if view.can_complete else None,
        "revoke_form": ReasonForm(prefix="revoke") if view.can_revoke else None,
        "milestone_form": MilestoneForm() if view.can_record_milestone else None,
    }
    context.update(forms or {})
    return render(request, "referrals/detail.html", context, status=status)


def _load(request: HttpRequest, reference: str) -> ReferralView:
    return referral_for(acting_user(request), reference)


@permission_required(*LIST_PERMISSIONS, CasePermission.VIEW)
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail(request, _load(request, reference))


def _action(
    request: HttpRequest,
    reference: str,
    *,
    allowed: Callable[[ReferralView], bool],
    form_key: str | None,
    form: Any,
    run: Callable[[Referral, dict[str, Any]], Any],
    done: Any,
) -> HttpResponse:
    view = _load(request, reference)
    if not allowed(view):
        raise Http404
    if form is not None and not form.is_valid():
        return _detail(request, view, {form_key: form} if form_key else {}, status=400)
    try:
        run(view.referral, form.cleaned_data if form is not None else {})
    except PermissionDenied:
        raise Http404 from None
    except ReferralError as error:
        view = _load(request, reference)
        if form is not None and form_key:
            _add_error(form, error)
            return _detail(request, view, {form_key: form}, status=400)
        messages.error(request, str(error.message))
        return _detail(request, view, status=400)
    messages.success(request, done)
    return redirect("referrals:detail", reference=reference)


@require_POST
@permission_required(ReferralPermission.SEND)
def referral_send(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        allowed=lambda v: v.is_sender,
        form_key=None,
        form=None,
        run=lambda referral, data: services.referral_send(actor=acting_user(request), referral=referral),
        done=_("Referral sent."),
    )


@require_POST
@permission_required(ReferralPermission.SEND)
def referral_consent(request: HttpRequest, reference: str) -> HttpResponse:
    view = _load(request, reference)
    if not view.is_sender:
        raise Http404
    persons = [link.person for link in ReferralPerson.objects.filter(referral=view.referral).select_related("person")]
    form = ConsentForm(request.POST, persons=persons, case=view.referral.case)
    return _action(
        request,
        reference,
        allowed=lambda v: v.is_sender,
        form_key="consent_form",
        form=form,
        run=lambda referral, data: referral_consent_record(
            actor=acting_user(request),
            referral=referral,
            person=data["person"],
            granted=data["granted"],
            guardian=data.get("guardian"),
            authority=data.get("authority"),
        ),
        done=_("Consent recorded."),
    )


@require_POST
@permission_required(ReferralPermission.CONSENT_OVERRIDE)
def referral_override(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        allowed=lambda v: v.sender_side,
        form_key="override_form",
        form=ReasonForm(request.POST, prefix="override"),
        run=lambda referral, data: referral_consent_override(
            actor=acting_user(request), referral=referral, reason=data["reason"]
        ),
        done=_("Consent override recorded."),
    )


@require_POST
@permission_required(ReferralPermission.RECEIVE)
def referral_accept(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        allowed=lambda v: v.receiver_side,
        form_key=None,
        form=None,
        run=lambda referral, data: services.referral_accept(actor=acting_user(request), referral=referral),
        done=_("Referral accepted."),
    )


@require_POST
@permission_required(ReferralPermission.RECEIVE)
def referral_decline(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        allowed=lambda v: v.receiver_side,
        form_key="decline_form",
        form=ReasonForm(request.POST, prefix="decline"),
        run=lambda referral, data: services.referral_decline(
            actor=acting_user(request), referral=referral, reason=data["reason"]
        ),
        done=_("Referral declined."),
    )


@require_POST
@permission_required(ReferralPermission.RECEIVE)
def referral_complete(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        allowed=lambda v: v.receiver_side,
        form_key="complete_form",
        form=OutcomeForm(request.POST),
        run=lambda referral, data: services.referral_complete(
            actor=acting_user(request), referral=referral, outcome=data["outcome"]
        ),
        done=_("Referral completed."),
    )


@require_POST
@permission_required(ReferralPermission.SEND)
def referral_revoke(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        allowed=lambda v: v.is_sender,
        form_key="revoke_form",
        form=ReasonForm(request.POST, prefix="revoke"),
        run=lambda referral, data: services.referral_revoke(
            actor=acting_user(request), referral=referral, reason=data["reason"]
        ),
        done=_("Referral revoked."),
    )


@require_POST
@permission_required(ReferralPermission.LEGAL_MILESTONE_RECORD)
def milestone_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        allowed=lambda v: v.can_record_milestone,
        form_key="milestone_form",
        form=MilestoneForm(request.POST),
        run=lambda referral, data: services.legal_milestone_record(
            actor=acting_user(request),
            referral=referral,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            notes=data["notes"],
        ),
        done=_("Milestone recorded."),
    )
