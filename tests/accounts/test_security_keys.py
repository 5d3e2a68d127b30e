"""Security keys (WebAuthn) as a second factor beside TOTP (ASVS 2.8.6 / 2.9): adding a key after
re-authentication, log-in and re-authentication with it, and the refusals — a replayed or stale
challenge, another origin or relying party, a counter that does not grow, another user's key.

The ceremonies are verified for real by py_webauthn; the authenticator is the software one in
``tests/accounts/softkey.py`` (real P-256 signatures). The browser side is in
``tests/browser/test_security_key.py`` (Chromium's virtual authenticator)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from ruta.accounts import mfa
from ruta.accounts.models import WebAuthnCredential
from ruta.accounts.security_keys import CHALLENGE
from ruta.accounts.sessions import REAUTH_AT
from ruta.audit.models import AuditAction, AuditEvent
from ruta.demo.personas import DEMO_PASSWORD
from ruta.notifications.models import Notification
from tests.accounts.softkey import SoftAuthenticator, page_options
from tests.accounts.totp import enrol_device

ADD = reverse("accounts:security_key_add")
VERIFY = reverse("accounts:verify")
REAUTH = reverse("accounts:reauth")


def _add_key(client: Client, key: SoftAuthenticator, name: str = "blue USB key", **answer: Any) -> Any:
    options = page_options(client.get(ADD).content)
    return client.post(ADD, {"name": name, "credential": key.register(options, **answer)})


def _enrolled(user: Any, *, totp: bool = True) -> SoftAuthenticator:
    """A user with a registered security key (and an authenticator app unless ``totp`` is False)."""
    if totp:
        enrol_device(user)
    key = SoftAuthenticator()
    client = Client()
    client.force_login(user)
    assert _add_key(client, key).status_code == 302
    return key


def _password_step(client: Client, user: Any) -> Any:
    return client.post(reverse("accounts:login"), {"username": user.get_username(), "password": DEMO_PASSWORD})


def _login_failures(user: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, object_id=str(user.pk)).values_list(
            "summary", flat=True
        )
    )


def test_a_user_adds_a_security_key_and_logs_in_with_it(personas: dict[str, Any]) -> None:
    user = personas["caseworker"]
    enrol_device(user)
    client = Client()
    client.force_login(user)
    options = page_options(client.get(ADD).content)
    assert options["rp"]["id"] == settings.WEBAUTHN_RP_ID and options["attestation"] == "none"
    key = SoftAuthenticator()
    done = client.post(ADD, {"name": "blue USB key", "credential": key.register(options)})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:security")

    stored = WebAuthnCredential.objects.get(user=user)
    assert stored.credential_id == key.id and stored.name == "blue USB key" and stored.transports == ["usb"]
    assert bytes(stored.public_key) and stored.sign_count == 0
    assert AuditEvent.objects.filter(
        action=AuditAction.CONFIG, object_type="accounts.webauthn_credential", summary="security key added"
    ).exists()
    assert Notification.objects.filter(recipient=user, kind="accounts.security_key_added").exists()
    page = client.get(reverse("accounts:security")).content.decode()
    assert "blue USB key" in page
    assert bytes(stored.public_key).hex() not in page and stored.credential_id not in page  # never shown

    # Next log-in: the password, then the key instead of a code.
    fresh = Client()
    assert _password_step(fresh, user)["Location"] == VERIFY
    verify_page = fresh.get(VERIFY)
    login_options = page_options(verify_page.content)
    assert [c["id"] for c in login_options["allowCredentials"]] == [key.id]
    assert SESSION_KEY not in fresh.session
    response = fresh.post(VERIFY, {"credential": key.authenticate(login_options)})
    assert response.status_code == 302 and fresh.session[SESSION_KEY] == str(user.pk)
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, summary="log-in (webauthn)").exists()
    stored.refresh_from_db()
    assert stored.sign_count == 1 and stored.last_used_at is not None


def test_a_security_key_alone_satisfies_the_second_factor_rule(personas: dict[str, Any]) -> None:
    user = personas["eri_responder"]
    assert mfa.mfa_required(user)
    key = _enrolled(user, totp=False)
    assert mfa.has_second_factor(user) and mfa.confirmed_device(user) is None
    client = Client()
    assert _password_step(client, user)["Location"] == VERIFY  # not sent to link an app
    assert client.get(reverse("accounts:enrol"))["Location"] == VERIFY
    response = client.post(VERIFY, {"credential": key.authenticate(page_options(client.get(VERIFY).content))})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(user.pk)


def test_a_user_with_a_key_cannot_reauthenticate_with_the_password_alone(personas: dict[str, Any]) -> None:
    user = personas["eri_responder"]
    key = _enrolled(user, totp=False)
    client = Client()
    client.force_login(user)
    session = client.session
    session[REAUTH_AT] = 0
    session.save()
    assert client.get(ADD)["Location"].startswith(REAUTH)

    refused = client.post(REAUTH, {"password": DEMO_PASSWORD, "next": ADD})
    assert refused.status_code == 200 and client.session[REAUTH_AT] == 0
    options = page_options(client.get(REAUTH).content)
    wrong_password = client.post(REAUTH, {"password": "not-it", "credential": key.authenticate(options)})
    assert wrong_password.status_code == 200 and client.session[REAUTH_AT] == 0

    options = page_options(client.get(REAUTH).content)
    done = client.post(REAUTH, {"password": DEMO_PASSWORD, "credential": key.authenticate(options), "next": ADD})
    assert done.status_code == 302 and done["Location"] == ADD and client.session[REAUTH_AT] > 0


def test_a_replayed_answer_is_refused(personas: dict[str, Any]) -> None:
    user = personas["caseworker"]
    key = _enrolled(user)
    client = Client()
    _password_step(client, user)
    answer = key.authenticate(page_options(client.get(VERIFY).content))
    assert client.post(VERIFY, {"credential": answer}).status_code == 302
    client.post(reverse("accounts:logout"))
    # The same signed answer again, in a new log-in: it answers another challenge.
    again = Client()
    _password_step(again, user)
    again.get(VERIFY)
    response = again.post(VERIFY, {"credential": answer})
    assert response.status_code == 200 and SESSION_KEY not in again.session
    assert "could not be verified" in response.content.decode()


def test_a_challenge_is_single_use(personas: dict[str, Any]) -> None:
    # A key without a counter (always 0, allowed by WebAuthn): only the single-use challenge stops
    # the same answer from being accepted twice.
    user = personas["eri_responder"]
    key = _enrolled(user, totp=False)
    client = Client()
    client.force_login(user)
    answer = key.authenticate(page_options(client.get(REAUTH).content), sign_count=0)
    assert client.post(REAUTH, {"password": DEMO_PASSWORD, "credential": answer}).status_code == 302
    session = client.session
    session[REAUTH_AT] = 0
    session.save()
    replayed = client.post(REAUTH, {"password": DEMO_PASSWORD, "credential": answer})
    assert replayed.status_code == 200 and client.session[REAUTH_AT] == 0
    assert "expired" in replayed.content.decode()


def test_a_stale_challenge_is_refused(personas: dict[str, Any]) -> None:
    user = personas["caseworker"]
    key = _enrolled(user)
    client = Client()
    _password_step(client, user)
    answer = key.authenticate(page_options(client.get(VERIFY).content))
    session = client.session
    session[CHALLENGE] = {**session[CHALLENGE], "at": time.time() - 181}
    session.save()
    response = client.post(VERIFY, {"credential": answer})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert "expired" in response.content.decode()


@pytest.mark.parametrize(
    "answer",
    [{"origin": "https://ruta.evil.example"}, {"origin": "http://testserver.evil.example"}, {"rp_id": "evil.example"}],
)
def test_an_answer_for_another_origin_or_relying_party_is_refused(personas: dict[str, Any], answer: Any) -> None:
    user = personas["caseworker"]
    key = _enrolled(user)
    client = Client()
    _password_step(client, user)
    response = client.post(VERIFY, {"credential": key.authenticate(page_options(client.get(VERIFY).content), **answer)})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert any(summary.startswith("security key assertion refused") for summary in _login_failures(user))
    # Registration is checked the same way.
    other = Client()
    other.force_login(user)
    assert _add_key(other, SoftAuthenticator(), **answer).status_code == 200
    assert WebAuthnCredential.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("count", [5, 10])
def test_a_counter_that_does_not_grow_is_refused_as_a_possible_clone(personas: dict[str, Any], count: int) -> None:
    user = personas["caseworker"]
    key = _enrolled(user)
    WebAuthnCredential.objects.filter(user=user).update(sign_count=10)
    client = Client()
    _password_step(client, user)
    response = client.post(
        VERIFY, {"credential": key.authenticate(page_options(client.get(VERIFY).content), sign_count=count)}
    )
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert "may have been copied" in response.content.decode()
    assert WebAuthnCredential.objects.get(user=user).sign_count == 10
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, object_type="accounts.webauthn_credential", summary__contains="possible clone"
    ).exists()
    # A counter that grows is accepted.
    ok = client.post(VERIFY, {"credential": key.authenticate(page_options(client.get(VERIFY).content), sign_count=11)})
    assert ok.status_code == 302 and WebAuthnCredential.objects.get(user=user).sign_count == 11


def test_another_users_key_is_refused(personas: dict[str, Any]) -> None:
    owner, other = personas["caseworker"], personas["supervisor"]
    owners_key = _enrolled(owner)
    _enrolled(other)
    client = Client()
    _password_step(client, other)
    response = client.post(VERIFY, {"credential": owners_key.authenticate(page_options(client.get(VERIFY).content))})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert "security key not registered to this user" in _login_failures(other)
    # Nor can someone register a key already registered to another user.
    thief = Client()
    thief.force_login(other)
    assert _add_key(thief, owners_key).status_code == 200
    assert WebAuthnCredential.objects.get(credential_id=owners_key.id).user == owner


def test_a_forged_signature_is_refused(personas: dict[str, Any]) -> None:
    user = personas["caseworker"]
    key = _enrolled(user)
    impostor = SoftAuthenticator()
    impostor.credential_id = key.credential_id  # same id, another private key
    client = Client()
    _password_step(client, user)
    response = client.post(VERIFY, {"credential": impostor.authenticate(page_options(client.get(VERIFY).content))})
    assert response.status_code == 200 and SESSION_KEY not in client.session


def test_adding_a_key_needs_a_recent_reauthentication_and_a_name(personas: dict[str, Any]) -> None:
    user = personas["caseworker"]
    client = Client()
    client.force_login(user)
    options = page_options(client.get(ADD).content)
    nameless = client.post(ADD, {"name": "", "credential": SoftAuthenticator().register(options)})
    assert nameless.status_code == 200 and not WebAuthnCredential.objects.exists()
    no_answer = client.post(ADD, {"name": "key", "credential": ""})
    assert no_answer.status_code == 200 and "did not answer" in no_answer.content.decode()
    session = client.session
    session[REAUTH_AT] = 0
    session.save()
    assert client.get(ADD)["Location"].startswith(REAUTH)
    assert not WebAuthnCredential.objects.exists()


def test_removing_a_key_needs_reauthentication_is_audited_and_told(personas: dict[str, Any]) -> None:
    user = personas["caseworker"]
    _enrolled(user)
    key = WebAuthnCredential.objects.get(user=user)
    remove = reverse("accounts:security_key_remove", kwargs={"pk": key.pk})
    stranger = Client()
    stranger.force_login(personas["supervisor"])
    assert stranger.get(remove).status_code == 404 and stranger.post(remove).status_code == 404

    client = Client()
    client.force_login(user)
    session = client.session
    session[REAUTH_AT] = 0
    session.save()
    assert client.post(remove, HTTP_REFERER=f"http://testserver{remove}")["Location"].startswith(REAUTH)
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()

    client.force_login(user)
    assert client.get(remove).status_code == 200
    assert client.post(remove)["Location"] == reverse("accounts:security")
    assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="accounts.webauthn_credential", summary="security key removed"
    ).exists()
    assert Notification.objects.filter(recipient=user, kind="accounts.security_key_removed").exists()


def test_the_only_second_factor_of_a_required_role_is_kept(personas: dict[str, Any]) -> None:
    user = personas["eri_responder"]
    _enrolled(user, totp=False)
    key = WebAuthnCredential.objects.get(user=user)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:security_key_remove", kwargs={"pk": key.pk}))
    assert response.status_code == 200 and "only second factor" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_second_factor_reset_removes_security_keys(personas: dict[str, Any]) -> None:
    user = personas["eri_responder"]
    _enrolled(user)
    admin = Client()
    admin.force_login(personas["administrator"])
    reason = "Keys and phone stolen; identity confirmed by a call back to the office."
    response = admin.post(reverse("accounts:mfa_reset"), {"username": user.get_username(), "reason": reason})
    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    assert not mfa.has_second_factor(user)
    event = AuditEvent.objects.get(object_type="accounts.mfa_device", object_id=str(user.pk))
    assert "1 security keys" in event.summary
    assert _password_step(Client(), user)["Location"] == reverse("accounts:enrol")
