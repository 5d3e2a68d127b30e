"""Need to know for answers: an enumerator sees only their own submissions, the coordinator those of
the institution, and an unrelated user none; forbidden and missing look the same (404)."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.instruments.selectors import submissions_visible
from ruta.instruments.services import import_submissions
from tests.instruments.exports import KOBO_HEADER, csv_bytes, kobo_row
from tests.instruments.factories import capacity_version, web_submission

pytestmark = pytest.mark.django_db


def test_submission_scopes(personas: dict[str, Any], client: Any) -> None:
    import io

    coordinator, enumerator = personas["study_coordinator"], personas["enumerator"]
    version = capacity_version(coordinator)
    own = web_submission(version, enumerator, key="a")
    theirs = web_submission(version, coordinator, key="b")
    import_submissions(version, io.BytesIO(csv_bytes(KOBO_HEADER, [kobo_row(1)], ";")), user=coordinator)
    assert set(submissions_visible(enumerator)) == {own}
    assert submissions_visible(coordinator).count() == 3
    assert not submissions_visible(personas["caseworker"]).exists()
    client.force_login(enumerator)
    assert client.get(f"/instruments/submissions/{own.pk}/").status_code == 200
    assert client.get(f"/instruments/submissions/{theirs.pk}/").status_code == 404
    assert client.get("/instruments/submissions/999999/").status_code == 404
    listing = client.get(f"/instruments/{version.instrument_id}/submissions/").content.decode()
    assert listing.count("/instruments/submissions/") == 1


def test_menu_entry_for_the_study_roles_only(personas: dict[str, Any], client: Any) -> None:
    client.force_login(personas["enumerator"])
    assert 'href="/instruments/"' in client.get("/").content.decode()
    client.force_login(personas["caseworker"])
    assert 'href="/instruments/"' not in client.get("/").content.decode()


def test_api_lists_instruments_with_versions(personas: dict[str, Any], client: Any) -> None:
    version = capacity_version(personas["study_coordinator"])
    client.force_login(personas["enumerator"])
    listed = client.get("/api/v1/instruments/").json()
    assert [item["form_id"] for item in listed] == ["capacity"]
    detail = client.get(f"/api/v1/instruments/{version.instrument_id}/").json()
    assert detail["versions"][0]["questions"] == 19 and detail["versions"][0]["choices"] == 6
    assert detail["versions"][0]["xform_url"].endswith("/xform.xml")
    client.force_login(personas["caseworker"])
    assert client.get(f"/api/v1/instruments/{version.instrument_id}/").status_code == 404
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/instruments/{id}/" in schema and "Data-collection instruments (XLSForms)" in schema
