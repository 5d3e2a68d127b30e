"""Resetting a lost second factor (ASVS 2.5) and telling users when a credential changes (2.2.3)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ruta.accounts import mfa
from ruta.accounts.models import AuthenticatorDevice, Membership, RecoveryCode
from ruta.accounts.selectors import users_administered
from ruta.accounts.sessions import REAUTH_AT
from ruta.audit.models import AuditAction, AuditEvent
from ruta.demo.personas import DEMO_PASSWORD
from ruta.jobs.services import work_once
from ruta.notifications.models import Notification
from ruta.policy import access
from ruta.policy.permissions import PlatformPermission
from ruta.policy.roles import Scope
from tests.accounts.totp import KNOWN_KEY_HEX, code_for_secret, enrol_device
from tests.roles_helpers import role_with_grants

RESET = reverse("accounts:mfa_reset")
REASON = "Phone stolen on 3 May; identity confirmed by a call back to the office number."


def _send_emails() -> list[Any]:
    work_once("test-worker")
    return list(mail.outbox)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run the after-commit callbacks (e-mail jobs are queued after commit) of the block it wraps."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_administrator_resets_a_lost_second_factor(personas: dict[str, Any], on_commit: Any) -> None:
    eri = personas["eri_responder"]
    enrol_device(eri)
    codes = mfa.recovery_codes_issue(actor=eri, user=eri, announce=False)
    eri_client = Client()
    eri_client.force_login(eri)
    assert eri_client.get("/").status_code == 200
    admin = Client()
    admin.force_login(personas["administrator"])

    assert admin.get(RESET).status_code == 200
    with on_commit():
        response = admin.post(RESET, {"username": "eri", "reason": REASON})
    assert response.status_code == 302 and response["Location"] == RESET

    assert not AuthenticatorDevice.objects.filter(user=eri).exists()
    assert not RecoveryCode.objects.filter(user=eri).exists()
    assert eri_client.get("/").status_code == 302  # every session of the user ended
    event = AuditEvent.objects.get(object_type="accounts.mfa_device", object_id=str(eri.pk))
    assert event.actor == personas["administrator"] and event.reason == REASON
    assert event.action == AuditAction.CONFIG and "second factor reset" in event.summary
    # The user is told, in the app and by e-mail, without the reason or any code.
    notice = Notification.objects.get(recipient=eri, kind="accounts.mfa_reset")
    sent = _send_emails()
    assert [message.to for message in sent] == [[eri.email]]
    for text in (notice.subject, notice.body, sent[0].subject, sent[0].body):
        assert "Phone stolen" not in text and not any(code in text for code in codes)
    assert "reset the second factor" in notice.body
    # Next log-in: the password, then enrolment of a new authenticator.
    again = Client()
    login = again.post("/accounts/login/", {"username": "eri", "password": DEMO_PASSWORD})
    assert login.status_code == 302 and login["Location"] == reverse("accounts:enrol")


def test_reset_needs_a_recent_re_authentication(personas: dict[str, Any], settings: Any) -> None:
    eri = personas["eri_responder"]
    enrol_device(eri)
    admin = Client()
    admin.force_login(personas["administrator"])
    session = admin.session
    session[REAUTH_AT] = int(time.time()) - settings.RUTA_REAUTH_SECONDS - 5
    session.save()
    response = admin.post(RESET, {"username": "eri", "reason": REASON})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:reauth"))
    assert AuthenticatorDevice.objects.filter(user=eri).exists()
    assert not Notification.objects.filter(recipient=eri).exists()


def test_reset_refuses_a_short_reason_oneself_and_unknown_users(personas: dict[str, Any]) -> None:
    administrator = personas["administrator"]
    enrol_device(administrator)
    enrol_device(personas["caseworker"])
    admin = Client()
    admin.force_login(administrator)

    short = admin.post(RESET, {"username": "salud", "reason": "lost it"})
    own = admin.post(RESET, {"username": "admin", "reason": REASON})
    unknown = admin.post(RESET, {"username": "nobody", "reason": REASON})
    assert [r.status_code for r in (short, own, unknown)] == [200, 200, 200]
    assert "No user you administer has that user name." in own.content.decode()  # oneself is not "administered"
    assert "No user you administer has that user name." in unknown.content.decode()
    assert AuthenticatorDevice.objects.filter(user__in=[administrator, personas["caseworker"]]).count() == 2
    with pytest.raises(mfa.MfaResetError):
        mfa.mfa_reset(actor=administrator, user=administrator, reason=REASON)
    with pytest.raises(PermissionError):
        mfa.mfa_reset(actor=personas["supervisor"], user=personas["caseworker"], reason=REASON)
    assert not AuditEvent.objects.filter(object_type="accounts.mfa_device", summary__contains="reset").exists()


def test_reset_reaches_only_users_of_institutions_the_operator_administers(
    personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With USER_MANAGE in institution scope, an administrator of CICESCT reaches CICESCT's users only."""
    administrator = personas["administrator"]
    role_with_grants(monkeypatch, "administrator", {PlatformPermission.USER_MANAGE: Scope.INSTITUTION})
    access.forget_grants(administrator)
    reachable = set(users_administered(administrator).values_list("username", flat=True))
    assert "oficial" in reachable and "analista" in reachable  # CICESCT
    assert "eri" not in reachable and "salud" not in reachable  # other institutions
    enrol_device(personas["eri_responder"])
    with pytest.raises(PermissionError):
        mfa.mfa_reset(actor=administrator, user=personas["eri_responder"], reason=REASON)
    assert AuthenticatorDevice.objects.filter(user=personas["eri_responder"]).exists()
    # A user whose only membership is no longer active is nobody's to reset.
    Membership.objects.filter(user=personas["duty_officer"]).update(is_active=False)
    assert not users_administered(administrator).filter(pk=personas["duty_officer"].pk).exists()


def test_security_page_links_the_reset_for_administrators_only(personas: dict[str, Any]) -> None:
    pages = {}
    for key in ("administrator", "supervisor"):
        client = Client()
        client.force_login(personas[key])
        pages[key] = client.get(reverse("accounts:security")).content.decode()
    assert RESET in pages["administrator"] and RESET not in pages["supervisor"]


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


def test_notices_use_the_users_language(personas: dict[str, Any], on_commit: Any) -> None:
    """The e-mail is in the user's language; in the app the notice is read in the page's language."""
    user = personas["analyst"]
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    from ruta.accounts.notices import CredentialChange, credential_change_notify

    with on_commit():
        credential_change_notify(user=user, change=CredentialChange.RECOVERY_CODES)
    notice = Notification.objects.get(recipient=user)
    sent = _send_emails()
    assert "New recovery codes were generated" not in sent[0].subject  # Spanish, not the English source
    assert notice.subject == "New recovery codes were generated"  # this page is in English


def test_every_kind_of_credential_change_has_its_message() -> None:
    from ruta.accounts.notices import TEXTS, CredentialChange

    assert set(TEXTS) == set(CredentialChange)
    for subject, body in TEXTS.values():
        assert "%(username)s" in str(body) and "%(when)s" in str(body) and str(subject)
