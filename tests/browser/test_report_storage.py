"""What the public report form leaves on the reporter's phone (ASVS 8.2): nothing once a report is
sent, nothing after the reporter deletes an unsent one, and nothing older than the queue's limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

pytestmark = pytest.mark.browser

QUEUE_KEY = "ruta.alerts.queue"
NARRATIVE = "Marisol, de 15 años, trabaja de noche en el bar El Faro de Tela; la encierran con llave."
CONTACT = "+504 9911-2233"

# Everything the page could have kept: web storage, IndexedDB and the service worker's caches.
STORAGE_DUMP = """async () => {
  const texts = [];
  for (const store of [localStorage, sessionStorage]) {
    for (let i = 0; i < store.length; i++) texts.push(store.key(i) + "=" + store.getItem(store.key(i)));
  }
  const databases = indexedDB.databases ? await indexedDB.databases() : [];
  for (const db of databases) texts.push("indexedDB:" + db.name);
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      texts.push("cache:" + request.url + "\\n" + (response ? await response.text() : ""));
    }
  }
  const sessionKeys = [];
  for (let i = 0; i < sessionStorage.length; i++) sessionKeys.push(sessionStorage.key(i));
  return {local: localStorage.length, session: sessionKeys, texts: texts};
}"""


def _fill(phone: Any) -> None:
    phone.check("input[name=signals][value=S06]")
    phone.select_option("select[name=municipality]", "0801")
    phone.fill("textarea[name=narrative]", NARRATIVE)
    phone.fill("input[name=reporter_contact]", CONTACT)


def _queued_offline(page_factory: Any, live_server: Any) -> Any:
    """A filled report sent while offline: the page shows it queued on the phone."""
    from ruta.alerts.configuration import catalogue_load

    catalogue_load()
    phone = _open_form(page_factory, live_server)
    _fill(phone)
    phone.context.set_offline(True)
    phone.click("form[data-report-form] button[type=submit]")
    phone.wait_for_selector("#report-status[data-state=queued]")
    return phone


def _open_form(page_factory: Any, live_server: Any) -> Any:
    phone = page_factory(locale="en", mobile=True)
    phone.goto(f"{live_server.url}/report/")
    phone.wait_for_load_state("networkidle")
    return phone


def test_nothing_stays_on_the_phone_once_the_report_is_sent(
    browser_world: Any, live_server: Any, page_factory: Any
) -> None:
    from ruta.alerts.models import Alert

    phone = _queued_offline(page_factory, live_server)
    waiting = phone.evaluate(STORAGE_DUMP)
    assert any(NARRATIVE in text and CONTACT in text for text in waiting["texts"])  # the dump sees the queue

    phone.context.set_offline(False)
    phone.wait_for_selector("#report-status[data-state=sent]")
    code = phone.locator("[data-tracking-code]").inner_text().strip()
    assert Alert.objects.count() == 1
    phone.wait_for_load_state("networkidle")
    left = phone.evaluate(STORAGE_DUMP)
    assert left["local"] == 0
    # htmx keeps the current path (here "/report/") for its history; nothing else may be there.
    assert set(left["session"]) <= {"htmx-current-path-for-history"}
    assert phone.evaluate(f"() => localStorage.getItem('{QUEUE_KEY}')") is None
    for needle in (NARRATIVE, "Marisol", CONTACT, "9911-2233", code):
        assert not [text[:80] for text in left["texts"] if needle in text], f"{needle!r} left on the phone"
    # After a reload (what someone picking up the phone would do) the form is blank.
    phone.reload()
    phone.wait_for_load_state("networkidle")
    assert phone.locator("textarea[name=narrative]").input_value() == ""
    assert phone.locator("#report-status").is_hidden()


def test_the_reporter_can_delete_an_unsent_report(browser_world: Any, live_server: Any, page_factory: Any) -> None:
    from ruta.alerts.models import Alert

    phone = _queued_offline(page_factory, live_server)
    phone.click("[data-clear-queue]")
    phone.wait_for_selector("#report-status[data-state=cleared]")
    assert phone.evaluate(STORAGE_DUMP)["local"] == 0
    phone.context.set_offline(False)
    phone.reload()
    phone.wait_for_load_state("networkidle")
    assert phone.locator("#report-status").is_hidden()  # nothing left to send
    assert Alert.objects.count() == 0


def test_a_report_unsent_for_too_long_is_deleted_not_sent(
    browser_world: Any, live_server: Any, page_factory: Any
) -> None:
    from ruta.alerts.models import Alert

    phone = _open_form(page_factory, live_server)
    old = (datetime.now(UTC) - timedelta(days=4)).isoformat()
    phone.evaluate(
        """([key, at, narrative]) => localStorage.setItem(key, JSON.stringify([{queuedAt: at, payload: {
            narrative: narrative, municipality: "0801", signals: ["S06"], happening_now: false, persons: [],
            reporter_contact: "", channel: "public_web", website: "", idempotency_key: "ab".repeat(16)}}]))""",
        [QUEUE_KEY, old, NARRATIVE],
    )
    phone.reload()
    phone.wait_for_selector("#report-status[data-state=expired]")
    assert phone.evaluate(STORAGE_DUMP)["local"] == 0
    phone.wait_for_load_state("networkidle")
    assert Alert.objects.count() == 0


def test_a_report_refused_for_the_limit_stays_queued_and_is_sent_later(
    browser_world: Any, live_server: Any, page_factory: Any, settings: Any
) -> None:
    """A busy carrier address or a limit reached must never lose a report: a 429 keeps it queued."""
    from ruta.alerts.models import Alert

    def limit(rate: str) -> None:
        rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_alerts": rate}
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    limit("0/hour")
    phone = _queued_offline(page_factory, live_server)
    with phone.expect_response(lambda response: "/api/v1/alerts/" in response.url) as refused:
        phone.context.set_offline(False)
    assert refused.value.status == 429
    phone.wait_for_selector("#report-status[data-state=queued]")
    assert NARRATIVE in (phone.evaluate(f"() => localStorage.getItem('{QUEUE_KEY}')") or "")
    assert Alert.objects.count() == 0

    limit("20/hour")
    phone.context.set_offline(True)
    phone.context.set_offline(False)  # back online: the queue tries again (it also does every 30 s)
    phone.wait_for_selector("#report-status[data-state=sent]")
    assert Alert.objects.count() == 1
    assert phone.evaluate(STORAGE_DUMP)["local"] == 0
