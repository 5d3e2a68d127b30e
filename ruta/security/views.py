from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.decorators import recent_auth_required
from ruta.core.http import acting_user
from ruta.policy.decorators import login_required, permission_required
from ruta.policy.permissions import PlatformPermission
from ruta.security import break_glass as glass
from ruta.security.exports import export_run, exports_for
from ruta.security.forms import BreakGlassForm, ExportForm


@login_required
def exports(request: HttpRequest) -> HttpResponse:
    # Open to whoever may run at least one registered export (each app brings its own); the others
    # get 404 before being asked to re-authenticate, like any page they may not see.
    if not exports_for(acting_user(request)):
        raise Http404
    return _exports(request)


@recent_auth_required
def _exports(request: HttpRequest) -> HttpResponse:
    kinds = exports_for(acting_user(request))
    form = ExportForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content, _rows = export_run(
            actor=acting_user(request),
            code=data["kind"],
            purpose=data["purpose"],
            since=data.get("since"),
            until=data.get("until"),
            request=request,
        )
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="ruta-{data["kind"]}-{stamp}.csv"'
        return response
    return render(request, "security/exports.html", {"form": form, "kinds": kinds})


@permission_required(PlatformPermission.BREAK_GLASS)
@recent_auth_required
def break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = glass.break_glass_open(
                actor=acting_user(request),
                object_type=form.cleaned_data["object_type"],
                identifier=form.cleaned_data["identifier"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except glass.BreakGlassError as error:
            form.add_error(error.field, error.message)
        else:
            messages.warning(
                request,
                _("Access to %(reference)s is open until %(until)s. This is recorded and the commission was told.")
                % {
                    "reference": opened.grant.object_reference or opened.grant.object_id,
                    "until": timezone.localtime(opened.grant.expires_at).strftime("%H:%M"),
                },
            )
            url = getattr(opened.obj, "get_absolute_url", None)
            return redirect(url() if callable(url) else "security:break_glass")
    return render(
        request, "security/break_glass.html", {"form": form, "running": glass.grants_running(acting_user(request))}
    )
