"""Issue 15's "Done when", in a real browser on a phone (390 px): the inspection supervisor plans and
assigns a visit → the inspector opens it, goes offline, records three worker interviews (one a
child, one with forced-labour indicators and immediate danger), closes the browser, reopens it,
comes back online → the sync sends everything → the ERI responder sees the P1 alert linked to the
visit → the inspector completes the visit (nothing about it stays on the phone) → the follow-up
deadline escalates when missed. And a conflict: two phones edit the same visit; the one that
synced second chooses, field by field, between its version and the server's.

The phone is a persistent Chromium profile, closed and launched again on the same folder: what
survives is what a real phone keeps (IndexedDB, the service worker and its cache, cookies).
Screenshots: var/screenshots/inspections-field-*.png."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SHELL = "/inspections/field/"
NAMES = ("Maritza", "Lagos Ochoa")
# A 1×1 PNG: the photo of the locked gate, taken offline.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

# Everything a page of the origin can keep: IndexedDB (every store of every database) and the caches.
STORAGE_DUMP = """async () => {
  const texts = [];
  const databases = indexedDB.databases ? await indexedDB.databases() : [];
  for (const info of databases) {
    const db = await new Promise((ok, ko) => {
      const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = ko;
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const rows = await new Promise((ok) => {
        const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result);
      });
      texts.push(store + ":" + JSON.stringify(rows));
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      texts.push("cache:" + request.url + "\\n" + (response ? await response.text() : ""));
    }
  }
  return texts.join("\\n");
}"""


def _cookie(live_server: Any, user: Any) -> dict[str, Any]:
    """A signed-in session (the roles here must use a second factor, tested with the accounts), with
    an expiry so that it outlives the browser like a real session cookie of Ruta does."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": value,
        "url": live_server.url,
        "expires": time.time() + settings.SESSION_COOKIE_AGE,
    }


@contextmanager
def _phone(browser: Any, profile: Path, *, offline: bool = False) -> Iterator[Any]:
    """The inspector's phone: a persistent profile, launched now and closed (like the browser app) on exit."""
    context = browser.browser_type.launch_persistent_context(
        user_data_dir=str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        locale="es",
        **PHONE,
    )
    context.set_default_timeout(15_000)
    if offline:
        context.set_offline(True)
    try:
        yield context.pages[0] if context.pages else context.new_page()
    finally:
        context.close()


def _open_shell(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}{SHELL}")
    page.wait_for_selector("#field-app[data-ready='1']")


def _saved(page: Any) -> None:
    """Every keystroke is on the phone (IndexedDB) once the page says nothing is being saved."""
    page.wait_for_selector("#field-app[data-saving='0']", state="attached")


def _queued(page: Any, count: int) -> None:
    page.wait_for_selector(f"[data-queue-count][data-count='{count}']", state="attached")


def _new_interview(page: Any) -> None:
    page.click("[data-view=visit] [data-add-interview]")
    page.wait_for_selector("#field-app[data-view-shown=interview] [data-interview-form]")


def _back_to_visit(page: Any) -> None:
    _saved(page)
    page.click("[data-view=interview] [data-go-visit]")
    page.wait_for_selector("#field-app[data-view-shown=visit] [data-visit-form]")


def _world(personas: dict[str, Any]) -> dict[str, Any]:
    from ruta.alerts.configuration import catalogue_load
    from ruta.core.defaults import restore_empty_default_catalogues
    from ruta.geo.models import Municipality
    from ruta.inspections.models import Establishment, Sector

    catalogue_load()
    restore_empty_default_catalogues()
    if not Sector.objects.exists():  # a transactional test before this one flushed the migration's rows
        from django.apps import apps

        from ruta.inspections.catalogue import load_defaults

        load_defaults(apps)
    sector = Sector.objects.filter(code="A").first() or Sector.objects.order_by("code").first()
    municipality = Municipality.objects.get(code="0601")  # Choluteca
    establishment = Establishment.objects.create(
        name="Empacadora El Melonar",
        name_key="empacadora el melonar",
        sector=sector,
        municipality=municipality,
        department=municipality.department,
        address="Carretera a San Marcos de Colón, km 7",
    )
    return {"establishment": establishment}


def _plan_and_assign(
    page: Any, live_server: Any, world: dict[str, Any], personas: dict[str, Any], screenshot: Any
) -> Any:
    """The supervisor ticks the workplace in the ranked plan, plans a programmed visit, then assigns
    it to the inspector from the visit's page."""
    from ruta.inspections.models import Visit

    establishment = world["establishment"]
    page.goto(f"{live_server.url}/inspections/plan/?department=06")
    page.check(f"#est-{establishment.pk}")
    page.select_option("select[name=inspection_type]", "programmed")
    page.fill("input[name=planned_for]", timezone.localdate().isoformat())
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state("networkidle")
    visit = Visit.objects.get(establishment=establishment)
    assert visit.inspector is None and visit.status == "planned"
    page.goto(f"{live_server.url}/inspections/visits/{visit.uuid}/")
    page.select_option("select[name=inspector]", str(personas["labour_inspector"].pk))
    page.click("form[action$='/assign/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    screenshot(page, "inspections-field-supervisor-assigned")
    visit.refresh_from_db()
    assert visit.inspector == personas["labour_inspector"]
    return visit


def _record_interviews(page: Any, screenshot: Any) -> None:
    """Three workers: a child packing melons, an adult with forced-labour indicators in immediate
    danger (she agrees to give her name), and an adult with nothing to report."""
    _new_interview(page)
    page.fill("#iv-age", "14")
    page.select_option("#iv-sex", "male")
    page.select_option("#iv-nationality", "HN")
    page.fill("#iv-job", "Empaque de melón")
    page.check("#iv-hazardous")
    assert page.locator("#iv-age-group").input_value() == "child"  # derived from the age
    expect(page.locator("[data-child-note]")).to_be_visible()
    expect(page.locator("[data-identity]")).to_be_hidden()  # anonymous unless the worker consents
    screenshot(page, "inspections-field-interview-child")
    _back_to_visit(page)

    _new_interview(page)
    page.fill("#iv-age", "27")
    page.select_option("#iv-sex", "female")
    page.select_option("#iv-nationality", "NI")
    expect(page.locator("[data-child-note]")).to_be_hidden()
    page.fill("#iv-job", "Cocinera del albergue")
    page.check("#iv-consent")
    expect(page.locator("[data-identity]")).to_be_visible()
    page.fill("#iv-given", NAMES[0])
    page.fill("#iv-family", NAMES[1])
    for code in ("FL03", "FL07", "FL08"):
        page.check(f"#fl-{code}")
    page.check("#iv-danger")
    page.fill("#iv-notes", "Le retienen el documento y no la dejan salir del albergue.")
    screenshot(page, "inspections-field-interview-indicators")
    _back_to_visit(page)

    _new_interview(page)
    page.fill("#iv-age", "41")
    page.select_option("#iv-sex", "male")
    page.fill("#iv-job", "Chofer")
    _back_to_visit(page)


def test_offline_visit_to_handover_and_escalation(
    browser_world: Any, live_server: Any, browser: Any, page_factory: Any, screenshot: Any, tmp_path: Path
) -> None:
    from ruta.alerts.models import Alert
    from ruta.deadlines.models import Escalation
    from ruta.deadlines.services import escalate_missed_deadlines
    from ruta.inspections.models import Evidence, Handover, Visit, WorkerInterview
    from ruta.notifications.models import Notification

    personas = browser_world["personas"]
    world = _world(personas)
    desk = page_factory(locale="es")
    desk.context.add_cookies([_cookie(live_server, personas["inspection_supervisor"])])
    visit = _plan_and_assign(desk, live_server, world, personas, screenshot)
    profile = tmp_path / "phone"
    session = _cookie(live_server, personas["labour_inspector"])

    with _phone(browser, profile) as phone:
        phone.context.add_cookies([session])
        _open_shell(phone, live_server)
        phone.wait_for_selector(f"li[data-visit='{visit.uuid}']")
        screenshot(phone, "inspections-field-list")
        phone.click(f"li[data-visit='{visit.uuid}'] a")
        phone.wait_for_selector("#field-app[data-view-shown=visit] [data-visit-form]")
        # The network goes; the inspector carries on.
        phone.context.set_offline(True)
        expect(phone.locator("[data-connection]")).to_have_attribute("data-state", "offline")
        for step in ("preparation", "entry", "observation"):
            phone.check(f"li[data-step={step}] [data-step-done]")
        phone.fill("[data-field=observations]", "Galera sin ventilación; 30 literas; portón con candado por fuera.")
        _saved(phone)
        screenshot(phone, "inspections-field-visit")
        _record_interviews(phone, screenshot)
        phone.set_input_files(
            "[data-evidence-input]", files=[{"name": "porton.png", "mimeType": "image/png", "buffer": PHOTO}]
        )
        expect(phone.locator("[data-evidence] li[data-state=queued]")).to_have_count(1)
        _queued(phone, 5)  # the visit, three interviews and the photo
        expect(phone.locator("[data-interviews] li")).to_have_count(3)
        phone.click("[data-queue] summary")
        screenshot(phone, "inspections-field-queued-offline")
    assert WorkerInterview.objects.count() == 0 and not Evidence.objects.exists()  # nothing reached the server

    # The browser was closed. Reopened, still offline: the shell comes from the service worker and
    # what was typed from the phone's storage.
    with _phone(browser, profile, offline=True) as phone:
        _open_shell(phone, live_server)
        assert phone.evaluate("() => navigator.serviceWorker.controller !== null")  # the kept shell
        _queued(phone, 5)
        phone.click(f"li[data-visit='{visit.uuid}'] a")
        expect(phone.locator("[data-interviews] li")).to_have_count(3)
        assert phone.locator("[data-field=observations]").input_value().startswith("Galera sin ventilación")
        screenshot(phone, "inspections-field-reopened-offline")

        phone.context.set_offline(False)  # the "online" event sends the outbox
        _queued(phone, 0)
        expect(phone.locator("[data-sync-message]")).to_have_attribute("data-state", "sent")
        screenshot(phone, "inspections-field-synced")

        interviews = list(WorkerInterview.objects.filter(visit=visit).order_by("age"))
        assert [i.age for i in interviews] == [14, 27, 41]
        child, danger, _adult = interviews
        assert child.age_group == "child" and child.hazardous_work and child.given_names == ""
        assert danger.forced_labour_indicators == ["FL03", "FL07", "FL08"] and danger.immediate_danger
        assert (danger.given_names, danger.family_names) == NAMES and danger.consent_to_identify
        photo = Evidence.objects.get(visit=visit)
        assert photo.file_type == "png" and photo.size == len(PHOTO)
        visit.refresh_from_db()
        assert visit.status == "in_progress" and visit.observations.startswith("Galera")
        assert {code for code, step in visit.steps.items() if step["done"]} == {"preparation", "entry", "observation"}

        handover = Handover.objects.get(visit=visit)
        alert = handover.alert
        assert alert.channel == "inspection" and alert.priority == "P1"
        assert Alert.objects.filter(channel="inspection").count() == 1

        eri = page_factory(locale="es")
        eri.context.add_cookies([_cookie(live_server, personas["eri_responder"])])
        eri.goto(f"{live_server.url}/alerts/")
        row = eri.locator(f"tr[data-alert='{alert.reference}']")
        assert row.locator("[data-priority]").inner_text() == "P1"
        eri.goto(f"{live_server.url}/alerts/{alert.reference}/")
        assert str(visit.uuid) in eri.content()  # the alert says which visit it comes from
        screenshot(eri, "inspections-field-eri-alert")

        # A remedy order, then the visit is completed and sent: nothing about it stays on the phone.
        phone.click("[data-view=visit] [data-add-infraction]")
        infraction = phone.locator("[data-infraction]").first
        infraction.locator("select[data-field=legal_basis]").select_option(index=1)
        infraction.locator("[data-field=description]").fill("Jornadas de 14 horas sin pago de horas extra.")
        infraction.locator("[data-field=remedy]").fill("Pagar las horas extra adeudadas.")
        due = timezone.localdate() + timedelta(days=10)
        infraction.locator("[data-field=remedy_due]").fill(due.isoformat())
        _saved(phone)
        phone.click("[data-complete]")
        phone.click("[data-complete]")  # confirms
        expect(phone.locator("[data-sync-message]")).to_have_attribute("data-state", "purged")
        _queued(phone, 0)
        screenshot(phone, "inspections-field-completed-deleted")
        left = phone.evaluate(STORAGE_DUMP)
        for needle in (*NAMES, "Galera", str(visit.uuid)):
            assert needle not in left, f"{needle!r} left on the phone"

    visit.refresh_from_db()
    assert visit.status == "completed" and visit.closed_at is not None
    follow_up = Visit.objects.get(follow_up_of=visit)
    assert follow_up.follow_up_due_at is not None
    escalated = Escalation.objects.filter(deadline="follow_up", object_id=follow_up.pk)
    escalate_missed_deadlines(now=follow_up.follow_up_due_at - timedelta(minutes=1))
    assert not escalated.exists()  # not missed yet
    escalate_missed_deadlines(now=follow_up.follow_up_due_at + timedelta(hours=1))
    escalate_missed_deadlines(now=follow_up.follow_up_due_at + timedelta(days=2))  # once only
    assert escalated.count() == 1 and escalated.get().recipients >= 1
    notified = Notification.objects.filter(
        kind="inspection_escalation", dedupe_key=f"escalation:inspections.visit:{follow_up.pk}:follow_up"
    )
    assert personas["inspection_supervisor"].pk in set(notified.values_list("recipient_id", flat=True))
    assert personas["labour_inspector"].pk not in set(notified.values_list("recipient_id", flat=True))


def _open_visit(page: Any, live_server: Any, visit: Any) -> None:
    _open_shell(page, live_server)
    page.click(f"li[data-visit='{visit.uuid}'] a")
    page.wait_for_selector("#field-app[data-view-shown=visit] [data-visit-form]")


def test_two_phones_edit_one_visit_and_the_second_chooses_field_by_field(
    browser_world: Any, live_server: Any, page_factory: Any, screenshot: Any
) -> None:
    """Phone A works offline while phone B (the same inspector's second phone, or a colleague's)
    saves the same visit. Back online, A's stale version is a conflict: both versions are kept, and
    A chooses per field. A refused record (an infraction with no legal basis) stays, with its error
    shown, until it is corrected."""
    from ruta.inspections.models import Infraction, SyncConflict
    from ruta.inspections.services import visit_plan

    personas = browser_world["personas"]
    world = _world(personas)
    visit = visit_plan(
        actor=personas["inspection_supervisor"],
        establishment=world["establishment"],
        inspection_type="programmed",
        planned_for=timezone.localdate(),
        inspector=personas["labour_inspector"],
    )
    phones = []
    for _ in range(2):
        phone = page_factory(locale="es", mobile=True)
        phone.set_viewport_size({"width": 390, "height": 844})
        phone.context.add_cookies([_cookie(live_server, personas["labour_inspector"])])
        _open_visit(phone, live_server, visit)
        phones.append(phone)
    a, b = phones

    a.context.set_offline(True)
    a.fill("[data-field=observations]", "Versión A: 12 trabajadores en la galera.")
    a.check("li[data-step=documents] [data-step-done]")
    a.click("[data-view=visit] [data-add-infraction]")
    a.locator("[data-infraction] [data-field=description]").fill("Sin contrato escrito.")
    _saved(a)
    _queued(a, 2)

    b.fill("[data-field=observations]", "Versión B: 15 trabajadores, 3 menores.")
    _saved(b)
    _queued(b, 0)  # sent by itself a few seconds after the last change
    visit.refresh_from_db()
    assert visit.observations.startswith("Versión B")
    version_b = visit.version

    a.context.set_offline(False)
    expect(a.locator("[data-sync-message]")).to_have_attribute("data-state", "attention")
    _queued(a, 2)  # nothing lost: both records stay on the phone
    expect(a.locator("[data-queue-list] li[data-queued=visit]")).to_have_attribute("data-state", "conflict")
    expect(a.locator("[data-queue-list] li[data-queued=infraction]")).to_have_attribute("data-state", "invalid")
    expect(a.locator("[data-infraction] [data-errors-for=legal_basis]")).to_be_visible()
    assert SyncConflict.objects.filter(visit=visit, resolved_at__isnull=True).count() == 1
    visit.refresh_from_db()
    assert visit.version == version_b and visit.observations.startswith("Versión B")  # A changed nothing yet

    a.click("[data-visit-state] a")
    a.wait_for_selector("#field-app[data-view-shown=conflict] [data-conflict-form]")
    rows = a.locator("[data-conflict-field]")
    fields = set(rows.evaluate_all("rows => rows.map(r => r.getAttribute('data-conflict-field'))"))
    assert {"observations", "steps.documents"} <= fields
    screenshot(a, "inspections-field-conflict")
    # The server's observations, this phone's document review.
    a.check("[data-conflict-field=observations] input[value=server]")
    a.click("[data-resolve]")
    a.wait_for_selector("#field-app[data-view-shown=visit] [data-visit-form]")
    _queued(a, 1)  # the refused infraction is still there
    a.locator("[data-infraction] select[data-field=legal_basis]").select_option(index=1)
    _saved(a)
    _queued(a, 0)
    expect(a.locator("[data-sync-message]")).to_have_attribute("data-state", "sent")
    screenshot(a, "inspections-field-conflict-resolved")

    visit.refresh_from_db()
    assert visit.version == version_b + 1
    assert visit.observations.startswith("Versión B") and visit.steps["documents"]["done"] is True
    assert not SyncConflict.objects.filter(visit=visit, resolved_at__isnull=True).exists()
    assert Infraction.objects.get(visit=visit).description == "Sin contrato escrito."
