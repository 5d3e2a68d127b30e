"""The web form in a phone's browser: questions appear as their `relevant` becomes true (the
server's evaluator, asked by instruments-form.js), a repeat gets a second instance, the entry is
saved. Screenshots in var/screenshots/instruments-*.png."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.instruments.models import Submission
from tests.browser.test_case_flow import _signed_in
from tests.instruments.factories import capacity_version

pytestmark = pytest.mark.browser


def test_enumerator_fills_the_form_on_a_phone(
    live_server: Any,
    browser_world: Any,
    page_factory: Any,
    screenshot: Any,
) -> None:
    personas = browser_world["personas"]
    version = capacity_version(personas["study_coordinator"])
    page = _signed_in(page_factory, live_server, personas["enumerator"])
    page.set_viewport_size({"width": 375, "height": 740})  # a phone's width
    page.goto(f"{live_server.url}/instruments/versions/{version.pk}/fill/")
    budget = page.locator('[data-field="budget"]')
    pillars = page.locator('[data-field="pillars"]')
    assert budget.is_hidden() and pillars.is_hidden()
    page.fill('input[name="institution"]', "ONG Fortalece")
    page.fill('input[name="staff"]', "4")
    budget.wait_for(state="visible")
    page.fill('input[name="budget"]', "1000")
    page.check('input[name="has_protocol"][value="yes"]')
    pillars.wait_for(state="visible")
    page.check('input[name="pillars"][value="prevention"]')
    page.check('input[name="pillars"][value="protection"]')
    page.fill('input[name="programme[0]/programme_name"]', "Escuelas seguras")
    page.click("[data-repeat-add]")
    page.fill('input[name="programme[1]/programme_name"]', "Rutas de atención")
    page.fill('input[name="programme[1]/beneficiaries"]', "25")
    page.get_by_text("You chose 2").wait_for()  # a note showing a calculation, refreshed
    screenshot(page, "instruments-fill-phone")
    # Leave the last field (its change asks the server again) before tapping Save, as a person does.
    page.evaluate("document.activeElement.blur()")
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Save answers").click()
    page.wait_for_url("**/instruments/submissions/**")
    screenshot(page, "instruments-submission-phone")
    data = Submission.objects.get().data
    assert data["budget"] == 1000 and data["pillars"] == "prevention protection" and data["per_head"] == "250"
    assert [item["programme/programme_name"] for item in data["programme"]] == ["Escuelas seguras", "Rutas de atención"]
