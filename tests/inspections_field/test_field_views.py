"""The field form's server side: who gets the shell, what the shell may contain (nothing about
anyone, no inline script or style), and how the service worker and manifest are served."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

SHELL = "/inspections/field/"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_the_shell_needs_a_log_in_and_the_right_to_record_visits(client: Client, personas: dict[str, Any]) -> None:
    anonymous = client.get(SHELL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    client.force_login(personas["eri_responder"])
    assert client.get(SHELL).status_code == 404
    client.force_login(personas["labour_inspector"])
    assert client.get(SHELL).status_code == 200
    assert client.post(SHELL).status_code == 405  # the shell only reads: records go through the sync API


def test_the_shell_is_csp_clean_and_holds_no_record(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["labour_inspector"])
    response = client.get(SHELL)
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]  # the service worker keeps the copy, not the HTTP cache
    tags = _tags(html)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    # Every script is a file or inert JSON data; no element carries a style or an event handler.
    assert scripts and all(attrs.get("src") or attrs.get("type") == "application/json" for attrs in scripts)
    assert not [tag for tag, attrs in tags if "style" in attrs or any(name.startswith("on") for name in attrs)]
    assert "<style" not in html
    # What the page runs offline is all there, from files we serve.
    sources = [str(attrs["src"]) for attrs in scripts if attrs.get("src")]
    assert "/jsi18n/" in sources
    for name in ("inspections-outbox.js", "inspections-forms.js", "inspections-field.js"):
        assert f"/static/js/{name}" in sources
        assert finders.find(f"js/{name}"), name
    assert finders.find("css/inspections-field.css")
    # The API the page talks to, and the service worker's scope.
    app = next(attrs for tag, attrs in tags if attrs.get("id") == "field-app")
    assert app["data-sync-url"] == "/api/v1/inspections/sync/"
    assert app["data-visits-url"] == "/api/v1/inspections/visits/"
    assert app["data-scope"] == SHELL and app["data-sw-url"] == f"{SHELL}sw.js"
    assert app["data-user"] == str(personas["labour_inspector"].pk)
    # Codes travel with their labels, so the page never shows a code.
    choices = json.loads(re.search(r'id="field-choices" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert choices["age_group"]["child"] == "Child" and choices["inspection_type"]["follow_up"] == "Follow-up"


def test_the_service_worker_is_served_for_the_shells_scope(client: Client, db: None) -> None:
    response = client.get(f"{SHELL}sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == SHELL
    assert response["Cache-Control"] == "no-cache"  # a new version reaches phones on their next visit
    source = response.content.decode()
    assert 'addEventListener("fetch"' in source
    assert "/api/" not in source  # it never caches API answers: visits live in IndexedDB, emptied after sending
    assert client.post(f"{SHELL}sw.js").status_code == 405


def test_the_manifest_opens_the_shell(client: Client, db: None) -> None:
    response = client.get(f"{SHELL}manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == SHELL and manifest["scope"] == SHELL
    assert manifest["display"] == "standalone" and manifest["name"]
