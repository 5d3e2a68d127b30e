"""The referral leg in the browser: the ERI responder refers a person from a case (consent to the
referral recorded on the form); the SESAL health caseworker finds it among the received referrals,
accepts it and records its completion. Screenshots in var/screenshots/referral-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_case_flow import _signed_in

pytestmark = pytest.mark.browser


def _click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state("networkidle")


def test_eri_refers_and_the_health_caseworker_accepts_and_completes(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    from ruta.cases import protection
    from ruta.cases.models import Case, ConsentPurpose
    from ruta.referrals.models import Referral, ReferralStatus
    from tests.referrals.factories import make_case, service, victims

    personas = browser_world["personas"]
    eri_user = personas["eri_responder"]
    case = make_case(personas)  # an adult presumed victim in Distrito Central, ERI's case
    person = victims(case)[0]
    protection.consent_record(
        actor=eri_user, case=case, version=case.version, person=person, purpose=ConsentPurpose.CASE_WORK, granted=True
    )
    case = Case.objects.get(pk=case.pk)

    eri = _signed_in(page_factory, live_server, eri_user)
    eri.goto(f"{live_server.url}/cases/{case.reference}/")
    eri.get_by_role("link", name="Refer to another institution").click()
    eri.wait_for_load_state("networkidle")
    eri.check(f"input[name=persons][value='{person.pk}']")
    eri.select_option("select[name=service]", str(service("sesal", "health_care").pk))
    eri.select_option("select[name=urgency]", "high")
    eri.fill("textarea[name=reason]", "Needs a medical check-up and psychological support.")
    eri.select_option(f"select[name=consent_{person.pk}]", "granted")
    screenshot(eri, "referral-new-form")
    _click(eri, "Send referral")
    referral = Referral.objects.get(case=case)
    assert referral.status == ReferralStatus.SENT
    assert eri.url.endswith(f"/referrals/{referral.reference}/"), eri.url
    assert referral.reference in eri.inner_text("main")
    screenshot(eri, "referral-sent")

    health = _signed_in(page_factory, live_server, personas["caseworker"])
    health.goto(f"{live_server.url}/referrals/?tab=received")
    assert referral.reference in health.inner_text("main")
    screenshot(health, "referral-received-list")
    health.get_by_role("link", name=referral.reference).first.click()
    health.wait_for_load_state("networkidle")
    main = health.inner_text("main")
    assert "Needs a medical check-up" in main
    assert "Mariela" not in main  # identity was not shared: pseudonymous reference only
    _click(health, "Accept")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    health.fill("textarea[name=outcome]", "Medical and psychological care given; follow-up in two weeks.")
    _click(health, "Mark completed")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    screenshot(health, "referral-completed")

    eri.goto(f"{live_server.url}/referrals/{referral.reference}/")
    assert "Medical and psychological care given" in eri.inner_text("main")
