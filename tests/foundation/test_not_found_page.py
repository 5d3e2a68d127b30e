"""Issue 20: a user who opens a record that is not theirs gets the product's plain "not found" page,
the same as for a record that does not exist — also with DEBUG on (``make run``), where Django would
otherwise answer with its technical page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.referrals.factories import make_case

NOT_FOUND_TEXT = "This page does not exist or you do not have access to it."


@pytest.mark.parametrize("debug", [True, False])
def test_a_case_that_is_not_yours_and_a_missing_one_look_the_same(
    debug: bool, client: Client, personas: dict[str, Any], settings: Any
) -> None:
    settings.DEBUG = debug
    case = make_case(personas)  # the capital's team; the northern responder has no reach there
    client.force_login(personas["eri_responder_north"])
    forbidden = client.get(f"/cases/{case.reference}/")
    missing = client.get("/cases/C-0000-99999/")
    for response in (forbidden, missing):
        assert response.status_code == 404
        page = response.content.decode()
        assert NOT_FOUND_TEXT in page
        assert '<nav aria-label="Main navigation">' in page  # the product's layout, not Django's page
        assert "URLconf" not in page and "Raised by" not in page
    assert _main(forbidden) == _main(missing)


def _main(response: Any) -> str:
    match = re.search(r"<main.*?</main>", response.content.decode(), re.S)
    assert match
    return match.group(0)
