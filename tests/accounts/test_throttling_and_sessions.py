"""Lockout per account and per address, session limits, re-authentication, ending sessions."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from ruta.accounts.decorators import recent_auth_required
from ruta.accounts.models import AuthenticatorDevice, Membership, UserSession
from ruta.accounts.sessions import LOGIN_AT, REAUTH_AT
from ruta.audit.models import AuditAction, AuditEvent
from ruta.core.models import ThrottleCounter
from ruta.demo.personas import DEMO_PASSWORD
from ruta.institutions.models import Institution
from tests.accounts.totp import enrol_device, fresh_code

LOGIN = "/accounts/login/"


def _attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_account_locks_after_repeated_failures_even_with_the_right_password(
    client: Client, personas: Any, settings: Any
) -> None:
    settings.RUTA_LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(3):
        assert _attempt(client, "analista", "wrong-password-123").status_code == 200
    locked = _attempt(client, "analista", DEMO_PASSWORD)
    assert locked.status_code == 200 and SESSION_KEY not in client.session
    assert "locked" in locked.content.decode() or "bloqueada" in locked.content.decode()
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, object_id=str(personas["analyst"].pk))
    assert failures.count() == 3
    assert ThrottleCounter.objects.filter(scope="login.account").exists()
    assert not ThrottleCounter.objects.filter(key__icontains="analista").exists()  # only a keyed hash
    # Another account from another address is unaffected.
    assert _attempt(Client(), "oficial", DEMO_PASSWORD, ip="10.0.0.2").status_code == 302


def test_lock_expires_after_the_lockout_period(client: Client, personas: Any, settings: Any) -> None:
    settings.RUTA_LOGIN_FAILURES_PER_ACCOUNT = 2
    for _ in range(2):
        _attempt(client, "analista", "wrong-password-123")
    assert _attempt(client, "analista", DEMO_PASSWORD).status_code == 200
    settings.RUTA_LOGIN_LOCKOUT_SECONDS = 10
    ThrottleCounter.objects.update(window_start=ThrottleCounter.objects.first().window_start.replace(year=2000))
    assert _attempt(client, "analista", DEMO_PASSWORD).status_code == 302


def test_address_is_paused_after_failures_across_accounts(client: Client, personas: Any, settings: Any) -> None:
    settings.RUTA_LOGIN_FAILURES_PER_IP = 4
    for username in ["a1", "a2", "a3", "a4"]:
        _attempt(client, username, "wrong-password-123", ip="10.9.9.9")
    response = _attempt(client, "analista", DEMO_PASSWORD, ip="10.9.9.9")
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, summary="unknown account").count() == 4
    assert _attempt(Client(), "analista", DEMO_PASSWORD, ip="10.1.1.1").status_code == 302


def test_second_factor_failures_count_towards_the_lockout(client: Client, personas: Any, settings: Any) -> None:
    settings.RUTA_LOGIN_FAILURES_PER_ACCOUNT = 2
    user = personas["caseworker"]
    enrol_device(user)
    for _ in range(2):
        client.post(LOGIN, {"username": "salud", "password": DEMO_PASSWORD})
        client.post(reverse("accounts:verify"), {"code": "000000"})
    AuthenticatorDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    third = client.post(LOGIN, {"username": "salud", "password": DEMO_PASSWORD})
    assert third.status_code == 200  # refused at the password step: the account is locked
    assert "ruta_mfa_pending" not in client.session and SESSION_KEY not in client.session


def test_session_ends_after_the_absolute_limit(client: Client, personas: Any, settings: Any) -> None:
    client.force_login(personas["analyst"])
    assert client.get("/").status_code == 200
    session = client.session
    session[LOGIN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and LOGIN in response["Location"]
    assert SESSION_KEY not in client.session


def test_force_login_sessions_are_stamped_and_tracked(client: Client, personas: Any) -> None:
    client.force_login(personas["analyst"])
    assert isinstance(client.session[LOGIN_AT], int) and isinstance(client.session[REAUTH_AT], int)
    assert UserSession.objects.filter(user=personas["analyst"], session_key=client.session.session_key).exists()


def test_membership_change_ends_every_session_of_the_user(client: Client, personas: Any) -> None:
    user = personas["analyst"]
    client.force_login(user)
    other = Client()
    other.force_login(personas["trainer"])
    Membership.objects.create(user=user, institution=Institution.objects.get(code="eri"), role="supervisor")
    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 200


def test_password_change_ends_the_other_sessions_only(client: Client, personas: Any) -> None:
    user = personas["analyst"]
    elsewhere = Client()
    elsewhere.force_login(user)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "Xq7!vanilla-Orbit-93",
            "new_password2": "Xq7!vanilla-Orbit-93",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302


def test_password_policy_refuses_short_common_and_context_passwords(client: Client, personas: Any) -> None:
    client.force_login(personas["analyst"])
    for weak in ["short1!", "password1234", "RutaHonduras2026"]:
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": DEMO_PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200, weak


@recent_auth_required
def _sensitive(request: HttpRequest) -> HttpResponse:
    return HttpResponse("done")


def test_recent_auth_required_sends_stale_sessions_to_reauthenticate(personas: Any, settings: Any) -> None:
    request = RequestFactory().get("/security/exports/?x=1")
    request.user = personas["analyst"]
    request.session = {REAUTH_AT: int(time.time()) - settings.RUTA_REAUTH_SECONDS - 5}  # type: ignore[assignment]
    response = _sensitive(request)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth") + "?next=")
    request.session = {REAUTH_AT: int(time.time())}  # type: ignore[assignment]
    assert _sensitive(request).content == b"done"


def test_reauthentication_needs_password_and_code(client: Client, personas: Any, settings: Any) -> None:
    user = personas["supervisor"]
    enrol_device(user)
    client.force_login(user)
    session = client.session
    session[REAUTH_AT] = int(time.time()) - settings.RUTA_REAUTH_SECONDS - 5
    session.save()
    assert client.get(reverse("security:exports"))["Location"].startswith(reverse("accounts:reauth"))
    wrong = client.post(reverse("accounts:reauth"), {"password": "nope-nope-nope", "code": fresh_code(user)})
    assert wrong.status_code == 200
    no_code = client.post(reverse("accounts:reauth"), {"password": DEMO_PASSWORD, "code": ""})
    assert no_code.status_code == 200
    ok = client.post(
        reverse("accounts:reauth"),
        {"password": DEMO_PASSWORD, "code": fresh_code(user), "next": reverse("security:exports")},
    )
    assert ok.status_code == 302 and ok["Location"] == reverse("security:exports")
    assert client.get(reverse("security:exports")).status_code == 200


@pytest.mark.parametrize("path", ["/accounts/security/", "/accounts/security/recovery-codes/"])
def test_account_pages_need_login(client: Client, personas: Any, path: str) -> None:
    assert client.get(path).status_code == 302


def test_logout_invalidates_the_session_on_the_server(client: Client, personas: Any) -> None:
    user = personas["analyst"]
    client.force_login(user)
    old_key = client.session.session_key
    assert UserSession.objects.filter(session_key=old_key).exists()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert not UserSession.objects.filter(session_key=old_key).exists()
    # Replaying the old cookie does not sign anyone in: the server-side session is gone.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert replay.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=user).exists()
