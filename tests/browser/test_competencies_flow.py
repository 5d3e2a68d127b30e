"""Competencies on a phone: the inspector rates themselves (one radio group per competency), sees
their gaps; the training coordinator gives a supervisor assessment and reads the gap heat map.
Screenshots in var/screenshots/competencies-*.png."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _phone(page_factory: Any, live_server: Any, user: Any) -> Any:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = page_factory(locale="es", mobile=True)
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


def _rate_all(page: Any, level: str) -> None:
    for group in page.locator("main fieldset.choice-group").all():
        group.locator(f"input[type=radio][value='{level}']").check()


def test_self_and_supervisor_assessment_then_the_heat_map(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    from ruta.competencies.models import Assessment

    personas = browser_world["personas"]
    inspector, coordinator = personas["labour_inspector"], personas["training_coordinator"]

    page = _phone(page_factory, live_server, inspector)
    page.goto(f"{live_server.url}/competencies/frameworks/labour-inspectors/self-assessment/")
    assert page.locator("main fieldset.choice-group").count() == 13
    _rate_all(page, "2")
    screenshot(page, "competencies-self-assessment")
    page.click("main button[name=action][value=submit]")
    page.wait_for_load_state("networkidle")
    assert Assessment.objects.filter(person=inspector, kind="self", status="submitted").count() == 1
    page.goto(f"{live_server.url}/competencies/")
    assert "LI-01" not in page.inner_text("main")  # labels, never codes
    screenshot(page, "competencies-mine")

    boss = _phone(page_factory, live_server, coordinator)
    boss.goto(f"{live_server.url}/competencies/people/{inspector.pk}/assess/labour-inspectors/")
    _rate_all(boss, "1")
    boss.click("main button[name=action][value=submit]")
    boss.wait_for_load_state("networkidle")
    assert Assessment.objects.filter(person=inspector, kind="supervisor").count() == 1
    boss.goto(f"{live_server.url}/competencies/gaps/?framework=labour-inspectors&by=institution")
    table = boss.locator("table.heatmap")
    assert table.count() == 1
    # Supervisor rated everything 1: the mean gap of LI-01 (target 3) is 2 (Spanish: "2,0"), from 1 person.
    assert "2,0 (1)" in table.inner_text()
    assert inspector.last_name not in boss.inner_text("main")
    screenshot(boss, "competencies-heatmap")
