"""Resetting a lost second factor (ASVS 2.5) and telling users when a credential changes (2.2.3)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ruta.accounts.models import AuthenticatorDevice
from ruta.audit.models import AuditEvent
from ruta.demo.personas import DEMO_PASSWORD
from ruta.jobs.services import work_once
from ruta.notifications.models import Notification
from tests.accounts.totp import KNOWN_KEY_HEX, code_for_secret, enrol_device


def _send_emails() -> list[Any]:
    work_once("test-worker")
    return list(mail.outbox)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run the after-commit callbacks (e-mail jobs are queued after commit) of the block it wraps."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- Notification of credential changes (ASVS 2.2.3) -------------------------------------------


def test_password_change_is_notified_in_the_app_and_by_email(personas: dict[str, Any], on_commit: Any) -> None:
    user = personas["analyst"]
    client = Client()
    client.force_login(user)
    new_password = "Otra-clave-larga-2026!"
    with on_commit():
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": DEMO_PASSWORD, "new_password1": new_password, "new_password2": new_password},
        )
    assert response.status_code == 302
    notice = Notification.objects.get(recipient=user, kind="accounts.password_changed")
    assert "password of your account analista was changed" in notice.body
    sent = _send_emails()
    assert [message.to for message in sent] == [[user.email]]
    assert "password was changed" in sent[0].subject
    for text in (notice.subject, notice.body, sent[0].subject, sent[0].body):
        assert new_password not in text and DEMO_PASSWORD not in text


def test_a_refused_password_change_notifies_nobody(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["analyst"])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Otra-clave-larga-2026!", "new_password2": "Otra-clave-larga-2026!"},
    )
    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=personas["analyst"]).exists()


def test_password_set_in_the_back_office_is_notified(personas: dict[str, Any], on_commit: Any) -> None:
    user = personas["trainer"]
    admin = Client()
    admin.force_login(personas["administrator"])
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    new_password = "Clave-nueva-de-admin-77"
    with on_commit():
        response = admin.post(url, {"password1": new_password, "password2": new_password, "usable_password": "true"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    notice = Notification.objects.get(recipient=user, kind="accounts.password_set")
    assert new_password not in notice.body
    assert AuditEvent.objects.filter(object_id=str(user.pk), summary__startswith="password set").exists()
    assert [message.to for message in _send_emails()] == [[user.email]]


def test_enrolment_is_notified_once_without_the_seed(personas: dict[str, Any], on_commit: Any) -> None:
    user = personas["eri_responder"]
    client = Client()
    client.post("/accounts/login/", {"username": "eri", "password": DEMO_PASSWORD})
    page = client.get(reverse("accounts:enrol")).content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)  # type: ignore[union-attr]
    with on_commit():
        done = client.post(reverse("accounts:enrol"), {"code": code_for_secret(secret)})
    assert done["Location"] == reverse("accounts:recovery_codes")
    notices = list(Notification.objects.filter(recipient=user))
    assert [notice.kind for notice in notices] == ["accounts.mfa_enrolled"]
    device = AuthenticatorDevice.objects.get(user=user)
    sent = _send_emails()
    assert len(sent) == 1
    for text in (notices[0].body, sent[0].body):
        assert secret not in text and device.key not in text


def test_recovery_code_regeneration_is_notified_without_the_codes(personas: dict[str, Any], on_commit: Any) -> None:
    user = personas["supervisor"]
    enrol_device(user, KNOWN_KEY_HEX)
    client = Client()
    client.force_login(user)
    with on_commit():
        response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 302
    page = client.get(reverse("accounts:recovery_codes")).content.decode()
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", page)
    assert len(codes) == 10
    notice = Notification.objects.get(recipient=user, kind="accounts.recovery_codes")
    sent = _send_emails()
    assert [message.to for message in sent] == [[user.email]]
    for text in (notice.subject, notice.body, sent[0].body):
        assert not any(code in text for code in codes)
