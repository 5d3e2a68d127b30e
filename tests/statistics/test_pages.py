"""The dashboards: every registered indicator with its definition, the map, the list behind a
figure only for those who may open it, identities never, suppression shown for protected readers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ruta.core.indicators import indicators
from ruta.statistics.reach import reach_of
from ruta.statistics.tables import offered
from tests.statistics.factories import seed_statistics

pytestmark = pytest.mark.django_db
FILTERS = {"since": "2026-01-01", "until": "2026-04-30", "by": "department"}


def _page(client: Client, user: Any, name: str = "statistics:dashboard", params: Any = None) -> Any:
    client.force_login(user)
    return client.get(reverse(name), params or FILTERS)


def test_the_national_dashboard_shows_every_registered_indicator(client: Client, personas: dict[str, Any]) -> None:
    seed_statistics(personas)
    response = _page(client, personas["analyst"])
    assert response.status_code == 200
    codes = {figure.indicator.code for figure in response.context["board"].figures}
    assert codes == {item.code for item in indicators()}
    html = response.content.decode()
    assert "statistics-map" in html and "geoBoundaries" in html
    assert "municipal boundaries are not loaded" in html
    charts = json.loads(
        response.context["board"].charts().__class__.__name__ and json.dumps(response.context["board"].charts())
    )
    assert charts["alerts.received"]["months"]


def test_analysts_never_see_identities_nor_the_lists_behind(client: Client, personas: dict[str, Any]) -> None:
    seeded = seed_statistics(personas)
    response = _page(client, personas["analyst"])
    html = response.content.decode()
    assert 'data-testid="list-behind"' not in html
    assert reverse("alerts:queue") not in html
    for person in seeded.persons[:20]:
        assert person.reference not in html
    for alert in seeded.alerts[:20]:
        assert alert.reference not in html


def test_the_list_behind_is_offered_to_those_who_may_open_it(client: Client, personas: dict[str, Any]) -> None:
    from ruta.alerts.permissions import AlertPermission
    from ruta.policy.access import has_perm

    seed_statistics(personas)
    officer = personas["duty_officer"]  # reads statistics and watches the national alert queue
    assert has_perm(officer, AlertPermission.VIEW)
    board = _page(client, officer).context["board"]
    received = next(figure for figure in board.figures if figure.indicator.code == "alerts.received")
    assert received.list_url == reverse("alerts:queue") + "?status=all"
    by_department = {row.label: row for row in received.rows}
    row = by_department["Francisco Morazán"]
    assert row.list_url == reverse("alerts:queue") + "?status=all&department=08"
    assert client.get(row.list_url).status_code == 200
    identified = next(figure for figure in board.figures if figure.indicator.code == "persons.identified")
    assert identified.list_url is None  # no list shows exactly those records
    supervisor = personas["supervisor"]  # institution-scope reader: sent to the institutional dashboard
    client.force_login(supervisor)
    assert client.get(reverse("statistics:dashboard")).status_code == 302


def test_the_territorial_dashboard_shows_only_the_department_protected(
    client: Client, personas: dict[str, Any]
) -> None:
    seed_statistics(personas)
    user = personas["territorial_analyst"]
    response = _page(client, user, params={"since": "2026-01-01", "until": "2026-04-30", "by": "priority"})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.protected
    assert set(board.map_cells) <= {"01"}
    assert {figure.indicator.code for figure in board.figures} == {
        item.code for item in offered(indicators(), reach_of(user))
    }
    for figure in board.figures:
        assert figure.months.where.get("department") == "01"
    assert 'data-testid="protection-note"' in response.content.decode()
    # Another department by URL: refused, not shown.
    assert _page(client, user, params={**FILTERS, "department": "08"}).status_code in (200, 404)


def test_definitions_and_sdg_pages(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["analyst"])
    html = client.get(reverse("statistics:definitions")).content.decode()
    for item in indicators():
        assert str(item.definition)[:40] in html.replace("&#x27;", "'").replace("&quot;", '"')
    sdg = client.get(reverse("statistics:sdg"), {"year": "2026"})
    assert 'data-testid="sdg-unavailable"' in sdg.content.decode()


def test_the_institutional_dashboard_shows_what_the_institution_sent_and_received(
    client: Client, personas: dict[str, Any]
) -> None:
    seed_statistics(personas)
    response = _page(client, personas["supervisor_health"], "statistics:institution")
    assert response.status_code == 200
    groups = response.context["panels"]
    assert [group.institution.code for group in groups] == ["sesal"]
    assert all(panel.table.protected for panel in groups[0].panels)
