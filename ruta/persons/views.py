"""Person pages: thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ruta.core.http import AuthenticatedHttpRequest
from ruta.persons import selectors, services
from ruta.persons.forms import MergeForm, PersonForm
from ruta.persons.models import PersonIdentity
from ruta.persons.permissions import PersonPermission
from ruta.policy.decorators import permission_required


@permission_required(PersonPermission.VIEW)
def person_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    person = selectors.person_get(request.user, reference)
    if person.merged_into_id is not None:
        assert person.merged_into is not None
        messages.info(
            request,
            _("%(old)s was merged into %(new)s.") % {"old": person.reference, "new": person.merged_into.reference},
        )
        return redirect("persons:detail", reference=person.merged_into.reference)
    view = selectors.person_view(actor=request.user, person=person, request=request)
    return render(request, "persons/detail.html", {"view": view, "person": person})


@permission_required(PersonPermission.EDIT)
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    person = selectors.person_get(request.user, reference)
    if person.merged_into_id is not None:
        raise Http404
    view = selectors.person_view(actor=request.user, person=person, request=request, purpose="edit")
    if not view.can_edit or view.identity is None:
        raise Http404
    conflict = None
    if request.method == "POST":
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                services.person_update(
                    actor=request.user,
                    person=person,
                    expected_version=form.cleaned_data["version"],
                    identity=form.identity_input(),
                    attributes=form.attributes(),
                    request=request,
                )
            except services.PersonConflict as exc:
                conflict = exc.current
                current_identity = PersonIdentity.objects.get(person=conflict)
                conflict_values = PersonForm.initial_for(conflict, current_identity)
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = PersonForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone else saved this person while you were editing. Nothing you typed is lost, "
                        "but nothing has been saved yet: compare with the current values shown below, "
                        "correct the form and save again."
                    ),
                )
                return render(
                    request,
                    "persons/edit.html",
                    {"view": view, "person": conflict, "form": form, "conflict": conflict_values, "candidates": []},
                    status=409,
                )
            messages.success(request, _("Person saved."))
            return redirect("persons:edit", reference=person.reference)
    else:
        form = PersonForm(initial=PersonForm.initial_for(person, view.identity))
    candidates = selectors.person_duplicates(actor=request.user, person=person)
    return render(
        request,
        "persons/edit.html",
        {"view": view, "person": person, "form": form, "conflict": conflict, "candidates": candidates},
    )


@permission_required(PersonPermission.MERGE)
def person_duplicates(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    person = selectors.person_get(request.user, reference)
    view = selectors.person_view(actor=request.user, person=person, request=request, purpose="duplicate review")
    if not view.can_merge or person.merged_into_id is not None:
        raise Http404
    candidates = selectors.person_duplicates(actor=request.user, person=person)
    candidates = [c for c in candidates if services.person_merge_allowed(request.user, c.person)]
    return render(request, "persons/duplicates.html", {"view": view, "person": person, "candidates": candidates})


@permission_required(PersonPermission.MERGE)
@require_http_methods(["GET", "POST"])
def person_merge(request: AuthenticatedHttpRequest, reference: str, other: str) -> HttpResponse:
    survivor = selectors.person_get(request.user, reference)
    duplicate = selectors.person_get(request.user, other)
    if (
        survivor.pk == duplicate.pk
        or survivor.merged_into_id
        or duplicate.merged_into_id
        or not services.person_merge_allowed(request.user, survivor, duplicate)
    ):
        raise Http404
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_merge(
                actor=request.user,
                survivor=survivor,
                duplicate=duplicate,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except PermissionDenied:
            raise Http404 from None
        except services.MergeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("%(old)s merged into %(new)s.") % {"old": duplicate.reference, "new": survivor.reference}
            )
            return redirect("persons:detail", reference=survivor.reference)
    views = [
        selectors.person_view(actor=request.user, person=item, request=request, purpose="merge review")
        for item in (survivor, duplicate)
    ]
    return render(request, "persons/merge.html", {"form": form, "survivor": views[0], "duplicate": views[1]})
