"""Log-in in two steps (password, then the second factor), enrolment, re-authentication, log-out.

Nothing is authenticated until both steps pass: between them the session only holds a short-lived
"pending" marker, so no page or API call treats the visitor as signed in."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from ruta.accounts import mfa, security_keys
from ruta.accounts.decorators import recent_auth_required
from ruta.accounts.forms import (
    EnrolForm,
    LoginForm,
    MfaResetForm,
    ReauthForm,
    SecondFactorForm,
    SecurityKeyAssertionForm,
    SecurityKeyForm,
    lockout_error,
)
from ruta.accounts.models import WebAuthnCredential
from ruta.accounts.security_keys import Purpose, SecurityKeyError
from ruta.accounts.selectors import administered_user
from ruta.accounts.services import password_change
from ruta.accounts.sessions import end_user_sessions, forget_session, stamp_reauth
from ruta.accounts.throttle import failure_record, failures_clear
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.http import AuthenticatedHttpRequest, acting_user
from ruta.policy.access import has_perm
from ruta.policy.decorators import login_required, permission_required
from ruta.policy.permissions import PlatformPermission

PENDING = "ruta_mfa_pending"
NEW_CODES = "ruta_new_recovery_codes"


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _audit_failure(request: HttpRequest, user: Any, summary: str) -> None:
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=str(user.pk) if user is not None else "",
        summary=summary,
        request=request,
    )


def _complete_login(request: HttpRequest, user: Any, *, method: str, next_url: str) -> HttpResponse:
    with transaction.atomic():
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        failures_clear(user.get_username())
        audit_record(
            actor=user,
            action=AuditAction.LOGIN,
            object_type="accounts.user",
            object_id=str(user.pk),
            summary=f"log-in ({method})",
            request=request,
        )
    return HttpResponseRedirect(_safe_next(request, next_url))


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | tuple[None, None]:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > settings.RUTA_MFA_PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return None, None
    return user, pending


class LoginView(auth_views.LoginView):
    """Step one: user name and password, throttled per account and per address."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        next_url = self.get_redirect_url()
        if mfa.needs_second_factor(user):
            self.request.session.cycle_key()
            self.request.session[PENDING] = {"user": user.pk, "at": int(time.time()), "next": next_url}
            if not mfa.has_second_factor(user):
                return redirect("accounts:enrol")
            return redirect("accounts:verify")
        return _complete_login(self.request, user, method="password", next_url=next_url)

    def form_invalid(self, form: Any) -> HttpResponse:
        self.request.session.pop(PENDING, None)  # a new attempt cancels any half-finished one
        if form.credentials_failed:
            username = (form.data.get("username") or "")[:150]
            failure_record(self.request, username)
            user = get_user_model().objects.filter(username=username).first()
            _audit_failure(self.request, user, "wrong password" if user else "unknown account")
        return super().form_invalid(form)


@sensitive_post_parameters("code", "credential")
@csrf_protect
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Step two: a code from the authenticator app, a recovery code, or a security key."""
    user, pending = _pending_user(request)
    if user is None or pending is None:
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    if not mfa.has_second_factor(user):
        return redirect("accounts:enrol")
    by_key = request.method == "POST" and "credential" in request.POST
    form = SecondFactorForm(request.POST if request.method == "POST" and not by_key else None)
    key_error = ""
    if by_key:
        key_form = SecurityKeyAssertionForm(request.POST)
        locked = lockout_error(request, user.get_username())
        if locked is not None:
            request.session.pop(PENDING, None)
            key_error = locked.messages[0]
        else:
            try:
                if not key_form.is_valid():
                    raise SecurityKeyError(
                        _("Your security key could not be verified."), "security key response malformed"
                    )
                security_keys.security_key_authenticate(
                    user=user, request=request, response_json=key_form.cleaned_data["credential"], purpose=Purpose.LOGIN
                )
            except SecurityKeyError as error:
                failure_record(request, user.get_username())
                _audit_failure(request, user, error.summary)
                key_error = error.message
            else:
                request.session.pop(PENDING, None)
                return _complete_login(request, user, method="webauthn", next_url=pending.get("next", ""))
    elif request.method == "POST" and form.is_valid():
        locked = lockout_error(request, user.get_username())
        if locked is not None:
            request.session.pop(PENDING, None)
            form.add_error(None, locked)
        else:
            method = mfa.verify_second_factor(user, form.cleaned_data["code"])
            if method:
                request.session.pop(PENDING, None)
                if method == "recovery":
                    left = mfa.recovery_codes_left(user)
                    messages.warning(
                        request,
                        _("You used a recovery code; %(count)s remain. Generate new ones in your account settings.")
                        % {"count": left},
                    )
                return _complete_login(request, user, method=method, next_url=pending.get("next", ""))
            failure_record(request, user.get_username())
            _audit_failure(request, user, "wrong second factor")
            form.add_error("code", _("That code is not valid. Check your app's clock and try the newest code."))
    context = {
        "form": form,
        "has_device": mfa.confirmed_device(user) is not None,
        "key_options": security_keys.authentication_options(user=user, request=request, purpose=Purpose.LOGIN),
        "key_error": key_error,
    }
    return render(request, "accounts/verify.html", context)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """First log-in of a user who must use a second factor: link an authenticator app."""
    user, pending = _pending_user(request)
    if user is None or pending is None:
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    if mfa.has_second_factor(user):
        return redirect("accounts:verify")
    device = mfa.pending_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locked = lockout_error(request, user.get_username())
        if locked is not None:
            request.session.pop(PENDING, None)
            form.add_error(None, locked)
        elif mfa.device_confirm(user=user, device=device, code=form.cleaned_data["code"]):
            request.session.pop(PENDING, None)
            codes = mfa.recovery_codes_issue(actor=user, user=user, announce=False)
            _complete_login(request, user, method="enrolment", next_url=pending.get("next", ""))
            request.session[NEW_CODES] = codes
            return redirect("accounts:recovery_codes")
        else:
            failure_record(request, user.get_username())
            _audit_failure(request, user, "wrong enrolment code")
            form.add_error("code", _("That code is not valid. Check your app's clock and try the newest code."))
    context = {"form": form, "qr": mfa.qr_data_uri(device), "secret": mfa.base32_secret(device)}
    return render(request, "accounts/enrol.html", context)


@login_required
@never_cache
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Shows freshly issued recovery codes once; a POST (after re-authentication) issues new ones."""
    if request.method == "POST":
        return _recovery_codes_regenerate(request)
    codes = request.session.pop(NEW_CODES, None)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "left": mfa.recovery_codes_left(request.user), "next": reverse("core:home")},
    )


@recent_auth_required
def _recovery_codes_regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.session[NEW_CODES] = mfa.recovery_codes_issue(actor=request.user, user=request.user)
    return redirect("accounts:recovery_codes")


@login_required
@never_cache
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's own security page: second factor, recovery codes, password, other sessions."""
    if request.method == "POST" and request.POST.get("action") == "end_other_sessions":
        ended = end_user_sessions(int(request.user.pk or 0), keep=request.session.session_key)
        messages.success(request, _("%(count)s other sessions were ended.") % {"count": ended})
        return redirect("accounts:security")
    context = {
        "has_device": mfa.confirmed_device(request.user) is not None,
        "keys": security_keys.security_keys(request.user),
        "required": mfa.mfa_required(request.user),
        "codes_left": mfa.recovery_codes_left(request.user),
        "can_reset_others": has_perm(request.user, PlatformPermission.USER_MANAGE),
    }
    return render(request, "accounts/security.html", context)


@permission_required(PlatformPermission.USER_MANAGE)
@recent_auth_required
@never_cache
def mfa_reset(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reset another user's lost second factor, with a reason, after re-authentication."""
    form = MfaResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = administered_user(request.user, form.cleaned_data["username"])
        if target is None:
            form.add_error("username", _("No user you administer has that user name."))
        else:
            try:
                mfa.mfa_reset(actor=request.user, user=target, reason=form.cleaned_data["reason"], request=request)
            except mfa.MfaResetError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "The second factor of %(username)s was reset and their sessions were ended. "
                        "They will link an authenticator app at their next log-in."
                    )
                    % {"username": target.get_username()},
                )
                return redirect("accounts:mfa_reset")
    return render(request, "accounts/mfa_reset.html", {"form": form})


@sensitive_post_parameters("credential")
@login_required
@recent_auth_required
@never_cache
def security_key_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add a security key or platform authenticator (WebAuthn), after re-authentication."""
    form = SecurityKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key = security_keys.security_key_register(
                actor=request.user,
                request=request,
                name=form.cleaned_data["name"],
                response_json=form.cleaned_data["credential"],
            )
        except SecurityKeyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The security key %(name)s was added.") % {"name": key.name})
            return redirect("accounts:security")
    options = security_keys.registration_options(actor=request.user, request=request)
    return render(request, "accounts/security_key_add.html", {"form": form, "options": options})


@login_required
@recent_auth_required
@never_cache
def security_key_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Remove one of your own security keys (after re-authentication); anyone else's is a 404."""
    key = get_object_or_404(WebAuthnCredential.objects.only("id", "user_id", "name"), pk=pk, user=request.user)
    error = ""
    if request.method == "POST":
        try:
            security_keys.security_key_remove(actor=request.user, credential=key, request=request)
        except SecurityKeyError as refused:
            error = refused.message
        else:
            messages.success(request, _("The security key %(name)s was removed.") % {"name": key.name})
            return redirect("accounts:security")
    return render(request, "accounts/security_key_remove.html", {"key": key, "error": error})


@sensitive_post_parameters("password", "code", "credential")
@login_required
@never_cache
def reauth(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Prove again who you are before a sensitive action (exports, keys, break-the-glass)."""
    user = request.user
    needs_code = mfa.code_needed_to_reauthenticate(user)
    has_keys = needs_code and mfa.has_security_key(user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    form = ReauthForm(request.POST or None, user=user, request=request, needs_code=needs_code, has_keys=has_keys)
    if request.method == "POST":
        locked = lockout_error(request, user.get_username())
        if locked is not None:
            forget_session(request.session.session_key)
            logout(request)
            messages.error(request, locked.messages[0])
            return redirect("accounts:login")
        if form.is_valid() and (not needs_code or _reauth_second_factor(request, user, form)):
            stamp_reauth(request)
            audit_record(
                actor=user,
                action=AuditAction.LOGIN,
                object_type="accounts.user",
                object_id=str(user.pk),
                summary="re-authentication",
                request=request,
            )
            return HttpResponseRedirect(_safe_next(request, next_url))
        if form.is_valid():
            form.add_error("code", _("That code is not valid. Check your app's clock and try the newest code."))
        failure_record(request, user.get_username())
        _audit_failure(request, user, "failed re-authentication")
    key_options = (
        security_keys.authentication_options(user=user, request=request, purpose=Purpose.REAUTH) if has_keys else ""
    )
    return render(request, "accounts/reauth.html", {"form": form, "next": next_url, "key_options": key_options})


def _reauth_second_factor(request: HttpRequest, user: Any, form: ReauthForm) -> bool:
    """The second half of a re-authentication: a security key's answer if one was given, else the code.
    A refused key leaves its message on the form."""
    answer = form.cleaned_data.get("credential")
    if answer:
        try:
            security_keys.security_key_authenticate(
                user=user, request=request, response_json=answer, purpose=Purpose.REAUTH
            )
        except SecurityKeyError as error:
            form.add_error(None, error.message)
            return False
        return True
    return bool(mfa.verify_second_factor(user, form.cleaned_data.get("code") or ""))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form: Any) -> HttpResponse:
        password_change(actor=acting_user(self.request), form=form, request=self.request)
        messages.success(self.request, _("Your password was changed and your other sessions were ended."))
        return HttpResponseRedirect(self.get_success_url())


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(
                actor=request.user,
                action=AuditAction.LOGOUT,
                object_type="accounts.user",
                object_id=str(request.user.pk),
                request=request,
            )
            forget_session(request.session.session_key)
        return super().post(request, *args, **kwargs)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A translated page instead of Django's English one; the form can simply be sent again."""
    return render(request, "accounts/csrf_failure.html", {}, status=403)
