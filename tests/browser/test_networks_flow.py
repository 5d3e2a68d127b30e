"""The local network's alarm in the browser, on a phone (390 px): a community member records a
threat → the focal point verifies it → a P1 alert in that municipality reaches the focal point, who
sends a bulletin → members acknowledge it from the link in their message → the commission's risk
map shows the municipality. Screenshots in var/screenshots/networks-*.png."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _phone(page_factory: Any, live_server: Any, user: Any | None = None) -> Any:
    from django.conf import settings
    from django.test import Client

    page = page_factory(locale="en", mobile=True)
    page.set_viewport_size(PHONE)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return page


def _click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state("networkidle")


def test_threat_to_bulletin_to_acknowledgement_to_map(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    from django.core import mail

    from ruta.core.defaults import restore_empty_default_catalogues
    from ruta.networks.bulletins import send_due
    from ruta.networks.escalation import escalate_new_p1_alerts
    from ruta.networks.models import Bulletin, Delivery, DeliveryState, Threat, ThreatStatus, ThreatType
    from ruta.notifications.models import Notification
    from tests.networks.factories import make_alert, make_network, place

    restore_empty_default_catalogues()
    personas = browser_world["personas"]
    network = make_network(personas, members=2)

    # 1. A community member records a threat from her phone.
    member = _phone(page_factory, live_server, personas["community_reporter"])
    member.goto(f"{live_server.url}/networks/threats/new/")
    member.select_option("select[name=threat_type]", str(ThreatType.objects.get(code="online_offer").pk))
    member.fill("input[name=title]", "Anuncio de meseras con viaje pagado")
    member.select_option("select[name=municipality]", str(place("0801").pk))
    member.fill(
        "textarea[name=description]", "Piden muchachas de 16 a 20 años para trabajar en otro país; pagan el viaje."
    )
    screenshot(member, "networks-threat-report")
    _click(member, "Record the threat")
    threat = Threat.objects.get()
    assert member.url.endswith(f"/networks/threats/{threat.reference}/"), member.url
    assert "Reported" in member.inner_text("[data-testid=threat-status]")
    screenshot(member, "networks-threat-recorded")

    # 2. The focal point verifies it.
    focal = _phone(page_factory, live_server, personas["municipal_focal_point"])
    focal.goto(f"{live_server.url}/networks/threats/{threat.reference}/")
    _click(focal, "Verify")
    threat.refresh_from_db()
    assert threat.status == ThreatStatus.VERIFIED
    assert "Verified" in focal.inner_text("[data-testid=threat-status]")
    screenshot(focal, "networks-threat-verified")

    # 3. A P1 alert lands in Distrito Central: the worker's scan tells the focal point, who warns the network.
    alert = make_alert("0801", signals=["S12"])
    assert alert.priority == "P1"
    assert escalate_new_p1_alerts() == 1
    notice = Notification.objects.get(recipient=personas["municipal_focal_point"], kind="network.p1_alert")
    focal.goto(f"{live_server.url}{notice.url}")
    assert "P1" in focal.inner_text("main")
    focal.select_option("select[name=kind]", "missing_child")
    focal.fill(
        "textarea[name=text]",
        "Alerta: se busca a una adolescente vista por última vez cerca de la terminal. Si la ve, llame al 145.",
    )
    screenshot(focal, "networks-bulletin-new")
    _click(focal, "Send")
    bulletin = Bulletin.objects.get()
    assert bulletin.alert == alert
    assert focal.url.endswith(f"/networks/bulletins/{bulletin.reference}/")

    # 4. The worker sends it; members acknowledge from the link in their message.
    assert send_due(worker="browser-test") == 3
    assert set(Delivery.objects.filter(bulletin=bulletin).values_list("state", flat=True)) == {DeliveryState.SENT}
    links = [re.search(r"/n/ack/\S+/", message.body).group(0) for message in mail.outbox]
    for number, link in enumerate(links[:2]):
        reader = _phone(page_factory, live_server)
        reader.goto(f"{live_server.url}{link}")
        _click(reader, "I received it")
        assert "Thank you" in reader.inner_text("main")
        if number == 0:
            screenshot(reader, "networks-acknowledged")
    focal.goto(f"{live_server.url}/networks/bulletins/{bulletin.reference}/")
    assert focal.inner_text("[data-testid=acknowledged]").strip() == "2"
    screenshot(focal, "networks-bulletin-delivery")

    # 5. The commission's map shows the municipality's risk.
    commission = _phone(page_factory, live_server, personas["duty_officer"])
    commission.goto(f"{live_server.url}/networks/risk/")
    commission.wait_for_selector("#risk-map[data-ready='1']")
    row = commission.locator("[data-testid=risk-table] tr[data-municipality='0801']")
    assert "Distrito Central" in row.inner_text()
    assert re.search(r"(Low|Medium|High)", row.inner_text())
    assert commission.locator("#risk-map path.leaflet-interactive").count() >= 18
    screenshot(commission, "networks-risk-map")
    assert network.members.count() == 3
