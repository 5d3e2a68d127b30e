"""The second factor is enforced unless a development run turns it off explicitly."""

from __future__ import annotations

from typing import Any

from django.test import Client, override_settings
from django.urls import reverse

from ruta.demo.personas import DEMO_PASSWORD
from tests.foundation.test_settings import GOOD, _start


def _password_login(client: Client, user: Any) -> Any:
    user.set_password(DEMO_PASSWORD)
    user.save()
    return client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})


def test_identity_roles_must_pass_a_second_factor_by_default(client: Client, personas: dict[str, Any]) -> None:
    response = _password_login(client, personas["eri_responder"])
    assert response.status_code == 302
    assert response["Location"] in (reverse("accounts:enrol"), reverse("accounts:verify"))
    assert "_auth_user_id" not in client.session


@override_settings(MFA_ENFORCED=False)
def test_demo_mode_lands_every_persona_on_its_home(client: Client, personas: dict[str, Any]) -> None:
    response = _password_login(client, personas["eri_responder"])
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    page = client.get(reverse("core:home"))
    assert "Demonstration mode" in page.content.decode() or "Modo de demostración" in page.content.decode()


def test_the_second_factor_cannot_be_turned_off_in_production() -> None:
    result = _start({**GOOD, "MFA_ENFORCED": "0"})
    assert result.returncode != 0
    assert "MFA_ENFORCED" in result.stderr.splitlines()[-1]
    assert _start({"DEBUG": "1", "MFA_ENFORCED": "0"}).returncode == 0


def test_demo_accounts_get_the_published_recovery_codes(personas: dict[str, Any]) -> None:
    """The demo's security page must not say "0 left": every persona with a second factor has codes."""
    from ruta.accounts import mfa
    from ruta.security import demo

    demo.seed(personas)
    demo.seed(personas)  # idempotent: a second run neither adds nor resets codes
    eri = personas["eri_responder"]
    assert mfa.recovery_codes_left(eri) == mfa.RECOVERY_CODES
    assert mfa.verify_second_factor(eri, demo.DEMO_RECOVERY_CODES[0]) == "recovery"
    assert mfa.recovery_codes_left(eri) == mfa.RECOVERY_CODES - 1
    demo.seed(personas)
    assert mfa.recovery_codes_left(eri) == mfa.RECOVERY_CODES - 1  # a used code is not handed back
    assert mfa.recovery_codes_left(personas["analyst"]) == 0  # no identities, no second factor required
