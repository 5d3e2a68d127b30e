from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ruta.accounts.throttle import lockout_for

LOCKED_ACCOUNT = _(
    "Too many failed attempts for this account. For your protection it is locked for %(minutes)s minutes; "
    "try again later or ask your administrator."
)
LOCKED_ADDRESS = _(
    "Too many failed attempts from this network. Log-in is paused for %(minutes)s minutes; try again later."
)


def lockout_error(request: HttpRequest, username: str) -> ValidationError | None:
    state = lockout_for(request, username)
    if not state.locked:
        return None
    message = LOCKED_ACCOUNT if state.by_account else LOCKED_ADDRESS
    return ValidationError(message, code="locked", params={"minutes": state.minutes})


class LoginForm(AuthenticationForm):
    """The password step. A locked account or address is refused before the password is checked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct username and password. Note that both fields may be case-sensitive."
        ),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "maxlength": 150})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.credentials_failed = False

    def clean(self) -> dict[str, Any]:
        username = (self.cleaned_data.get("username") or "")[:150]
        assert self.request is not None
        locked = lockout_error(self.request, username)
        if locked is not None:
            raise locked
        try:
            return super().clean()
        except ValidationError as error:
            self.credentials_failed = getattr(error, "code", "") == "invalid_login"
            raise


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class SecurityKeyAssertionForm(forms.Form):
    """The second log-in step answered by a security key (the assertion, JSON, from the browser)."""

    credential = forms.CharField(max_length=20_000, widget=forms.HiddenInput)


class SecurityKeyForm(forms.Form):
    """Adding a security key: a name the user chooses, and the key's answer from the browser."""

    name = forms.CharField(
        label=_("Name of the key"),
        max_length=64,
        help_text=_("So you can tell your keys apart, for example: blue USB key, work laptop."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    credential = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        required=False,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    # The answer of a security key (WebAuthn assertion, JSON), filled in by security_keys.js.
    credential = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, user: Any, request: HttpRequest, needs_code: bool, has_keys: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.needs_code = needs_code
        if not needs_code:
            del self.fields["code"]
            del self.fields["credential"]
        elif not has_keys:
            self.fields["code"].required = True
            del self.fields["credential"]
        else:
            self.fields["code"].help_text = _(
                "The 6-digit code from your authenticator app, or one of your recovery codes; "
                "or use your security key instead."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "credential" in self.fields and not cleaned.get("code") and not cleaned.get("credential"):
            self.add_error("code", _("Type a code or use your security key."))
        return cleaned

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if authenticate(self.request, username=self.user.get_username(), password=password) is None:
            raise ValidationError(_("That password is not correct."), code="invalid_password")
        return password


class MfaResetForm(forms.Form):
    """An administrator resets another user's lost second factor."""

    username = forms.CharField(label=_("User name"), max_length=150)
    reason = forms.CharField(
        label=_("Reason"),
        min_length=20,
        max_length=2000,
        help_text=_(
            "Why the second factor must be reset (e.g. how you confirmed the phone was lost). "
            "It is kept in the audit log."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
