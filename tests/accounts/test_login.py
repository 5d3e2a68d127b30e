"""The two-step log-in: password, then a TOTP code or a recovery code; enrolment at first log-in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from ruta.accounts import mfa
from ruta.accounts.models import AuthenticatorDevice, RecoveryCode
from ruta.audit.models import AuditAction, AuditEvent
from ruta.demo.personas import DEMO_PASSWORD
from tests.accounts.totp import code_for_secret, enrol_device, fresh_code

LOGIN = "/accounts/login/"


def _password_step(client: Client, username: str, password: str = DEMO_PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.mark.parametrize(
    ("key", "required"),
    [
        ("administrator", True),
        ("eri_responder", True),
        ("caseworker", True),
        ("supervisor", True),
        ("duty_officer", False),
        ("analyst", False),
        ("community_reporter", False),
        ("legal_liaison", False),
    ],
)
def test_second_factor_is_required_for_identity_roles_and_administrators(
    personas: dict[str, Any], key: str, required: bool
) -> None:
    assert mfa.mfa_required(personas[key]) is required


def test_identity_role_must_enrol_at_first_login_and_gets_recovery_codes(client: Client, personas: Any) -> None:
    response = _password_step(client, "eri")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:enrol")
    assert SESSION_KEY not in client.session  # not signed in between the steps
    assert client.get("/").status_code == 302  # home still asks to log in

    page = client.get(reverse("accounts:enrol"))
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    assert 'src="data:image/svg+xml' in page.content.decode()  # QR inline, no network

    wrong = client.post(reverse("accounts:enrol"), {"code": "000000"})
    assert wrong.status_code == 200 and SESSION_KEY not in client.session
    # django-otp also slows a device down after a failure (1 s, doubling); skip that wait here.
    AuthenticatorDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)

    done = client.post(reverse("accounts:enrol"), {"code": code_for_secret(secret)})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:recovery_codes")
    assert client.session[SESSION_KEY] == str(personas["eri_responder"].pk)
    codes_page = client.get(reverse("accounts:recovery_codes")).content.decode()
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", codes_page)
    assert len(codes) == 10
    # Shown once; stored only hashed.
    assert not re.findall(r"<li><code>", client.get(reverse("accounts:recovery_codes")).content.decode())
    stored = set(RecoveryCode.objects.filter(user=personas["eri_responder"]).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert AuthenticatorDevice.objects.get(user=personas["eri_responder"]).confirmed


def test_enrolled_user_needs_a_valid_code_after_the_password(client: Client, personas: Any) -> None:
    user = personas["caseworker"]
    enrol_device(user)
    response = _password_step(client, "salud")
    assert response["Location"] == reverse("accounts:verify")
    bad = client.post(reverse("accounts:verify"), {"code": "123456"})
    assert bad.status_code == 200 and SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, summary="wrong second factor").exists()
    AuthenticatorDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    good = client.post(reverse("accounts:verify"), {"code": fresh_code(user)})
    assert good.status_code == 302 and good["Location"] == "/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user, summary="log-in (totp)").exists()


def test_a_code_cannot_be_replayed(client: Client, personas: Any) -> None:
    user = personas["caseworker"]
    enrol_device(user)
    code = fresh_code(user)
    _password_step(client, "salud")
    assert client.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    other = Client()
    _password_step(other, "salud")
    assert other.post(reverse("accounts:verify"), {"code": code}).status_code == 200
    assert SESSION_KEY not in other.session


def test_recovery_code_works_once(client: Client, personas: Any) -> None:
    user = personas["supervisor"]
    enrol_device(user)
    codes = mfa.recovery_codes_issue(actor=user, user=user)
    _password_step(client, "supervisora")
    assert client.post(reverse("accounts:verify"), {"code": codes[0].upper()}).status_code == 302
    again = Client()
    _password_step(again, "supervisora")
    assert again.post(reverse("accounts:verify"), {"code": codes[0]}).status_code == 200
    assert mfa.recovery_codes_left(user) == 9


def test_roles_without_identities_log_in_with_the_password_alone(client: Client, personas: Any) -> None:
    response = _password_step(client, "analista")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(personas["analyst"].pk)


def test_pending_second_step_expires(client: Client, personas: Any, settings: Any) -> None:
    enrol_device(personas["caseworker"])
    _password_step(client, "salud")
    session = client.session
    session["ruta_mfa_pending"]["at"] -= settings.RUTA_MFA_PENDING_SECONDS + 1
    session.save()
    response = client.post(reverse("accounts:verify"), {"code": fresh_code(personas["caseworker"])})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_open_redirect_after_login_is_refused(client: Client, personas: Any) -> None:
    response = client.post(
        LOGIN, {"username": "analista", "password": DEMO_PASSWORD, "next": "https://evil.example/steal"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_django_admin_has_no_password_only_login(client: Client, personas: Any) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    client.force_login(personas["analyst"])
    assert client.get("/admin/login/").status_code == 404
