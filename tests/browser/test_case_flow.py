"""An ERI responder opens a case, records consent, the needs assessment and the plan; a supervisor
approves the plan and, later, the closure. Screenshots in var/screenshots/case-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser


def _signed_in(page_factory: Any, live_server: Any, user: Any) -> Any:
    """A page with a signed-in session (log-in itself, with its second factor, is tested elsewhere)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = page_factory(locale="en")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def _submit(page: Any) -> None:
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def _fill_case_opening(page: Any, live_server: Any, given: str, family: str) -> None:
    """The case-opening form for one adult woman in San Pedro Sula (sexual exploitation)."""
    page.goto(f"{live_server.url}/cases/open/")
    page.select_option("select[name=municipality]", "0501")
    page.select_option("select[name=exploitation]", "sexual")
    page.fill("input[name=victims-0-given_names]", given)
    page.fill("input[name=victims-0-family_names]", family)
    page.select_option("select[name=victims-0-age_group]", "adult")
    page.select_option("select[name=victims-0-sex]", "female")


def test_eri_opens_a_case_and_a_supervisor_approves_its_closure(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    from ruta.cases.models import Case

    today = timezone.localdate().isoformat()
    personas = browser_world["personas"]
    eri = _signed_in(page_factory, live_server, personas["eri_responder"])
    _fill_case_opening(eri, live_server, "Karla", "Ramos")
    eri.fill("input[name=victims-0-age_years]", "22")
    screenshot(eri, "case-open-form")
    _submit(eri)
    reference = Case.objects.get().reference
    assert eri.url.endswith(f"/cases/{reference}/"), eri.url
    assert "Karla Ramos" in eri.inner_text("main")

    eri.get_by_role("link", name="Record consent").click()
    eri.check("input[name=granted][value=yes]")
    _submit(eri)
    eri.get_by_role("link", name="Record the needs assessment").click()
    eri.select_option("select[name=shelter-level]", "urgent")
    eri.select_option("select[name=health-level]", "high")
    eri.fill("input[name=legal-due_on]", today)
    _submit(eri)
    eri.get_by_role("link", name="Write the plan").click()
    eri.fill("textarea[name=goals]", "Safe shelter and health care.")
    eri.select_option("select[name=items-0-service]", "shelter")
    eri.select_option("select[name=items-0-institution]", "casa-alianza")
    eri.fill("input[name=items-0-starts_on]", today)
    eri.check("input[name=submit_for_approval]")
    _submit(eri)
    assert eri.locator("[data-stage=planning]").count() == 1
    screenshot(eri, "case-detail-planning")

    supervisor = _signed_in(page_factory, live_server, personas["supervisor"])
    supervisor.goto(f"{live_server.url}/cases/team-work/")
    screenshot(supervisor, "case-team-work")
    supervisor.get_by_role("link", name=f"{reference} — Approve the care plan").click()
    supervisor.check("input[name=decision][value=approve]")
    _submit(supervisor)
    assert supervisor.locator("[data-stage=services]").count() == 1
    assert "Karla" not in supervisor.inner_text("main")  # not on the team: pseudonymous

    eri.reload()
    eri.get_by_role("link", name="Request closure").click()
    eri.select_option("select[name=reason]", "plan_completed")
    eri.fill("input[name=closed_on]", today)
    _submit(eri)
    assert eri.locator("[data-stage=closure_requested]").count() == 1

    supervisor.goto(f"{live_server.url}/cases/my-work/")
    supervisor.get_by_role("link", name=f"{reference} — Approve or reject the closure").click()
    screenshot(supervisor, "case-closure-approval")
    supervisor.check("input[name=decision][value=approve]")
    _submit(supervisor)
    assert supervisor.locator("[data-stage=closed]").count() == 1
    screenshot(supervisor, "case-closed")
    assert Case.objects.get().stage == "closed"


def test_a_common_name_asks_for_what_tells_namesakes_apart(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    """Two registered women share a name: the form shows both. With a third, it says so instead of
    suggesting any; the responder adds the birth date, sees the one it points to, and saves anyway
    (another person)."""
    from ruta.cases.models import Case
    from ruta.cases.services import PersonInput
    from ruta.persons.models import AgeGroup, Sex
    from ruta.persons.services import IdentityInput
    from tests.cases import factories

    personas = browser_world["personas"]

    def register(born: str) -> None:
        identity = IdentityInput(given_names="Karla", family_names="Mejía Bonilla", birth_date=born)
        factories.open_case(
            personas["eri_responder"],
            victims=[PersonInput(sex=Sex.FEMALE, age_group=AgeGroup.ADULT, identity=identity)],
        )

    register("1990-03-04")
    register("1995-07-08")
    eri = _signed_in(page_factory, live_server, personas["eri_responder"])
    _fill_case_opening(eri, live_server, "Karla", "Mejía")
    _submit(eri)
    assert eri.locator("[data-duplicate]").count() == 2
    assert eri.locator("[data-duplicates-crowded]").count() == 0
    screenshot(eri, "case-open-two-namesakes")
    register("2001-11-12")
    _fill_case_opening(eri, live_server, "Karla", "Mejía")
    _submit(eri)
    notice = eri.locator("[data-duplicates-crowded]")
    assert notice.is_visible() and "Several registered persons" in notice.inner_text()
    assert eri.locator("[data-duplicate]").count() == 0
    screenshot(eri, "case-open-common-name")
    eri.fill("input[name=victims-0-birth_date]", "1995-07-08")
    _submit(eri)
    assert eri.locator("[data-duplicate]").count() == 1
    assert "1995-07-08" in eri.locator("[data-duplicate]").inner_text()
    screenshot(eri, "case-open-common-name-dated")
    before = Case.objects.count()
    _submit(eri)
    assert Case.objects.count() == before + 1
    assert "/cases/" in eri.url and not eri.url.endswith("/cases/open/")
