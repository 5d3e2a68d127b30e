"""Issue 20: a queue row says what the alert is about (one line, age group, signals); the merge panel
opens by itself only for a strong duplicate and says why each candidate matched."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from tests.alerts.conftest import make_alert


def _row(page: str, reference: str) -> str:
    match = re.search(rf'<tr data-alert="{reference}".*?</tr>', page, re.S)
    assert match, f"no queue row for {reference}"
    return match.group(0)


def test_queue_row_shows_summary_age_groups_and_signals(client: Client, login: Any) -> None:
    login("duty_officer")
    alert = make_alert(
        municipality="0801",
        signals=["S06", "S11"],
        persons=[{"age_group": "adult", "sex": "male"}, {"age": 15, "sex": "female"}],
    )
    row = _row(client.get("/alerts/").content.decode(), alert.reference)
    summary = re.search(r"<small class=\"one-line\" data-summary>(.*?)</small>", row, re.S)
    assert summary and "Distrito Central" in summary.group(1) and "API" in summary.group(1)
    ages = re.search(r"<td data-age-groups>(.*?)</td>", row, re.S)
    assert ages
    # Children first whatever order the reporter gave: a child changes how fast the alert is handled.
    assert re.findall(r'class="badge age-(\w+)"', ages.group(1)) == ["child", "adult"]
    signals = re.search(r"<td data-signals>(.*?)</td>", row, re.S)
    assert signals and re.findall(r"<abbr[^>]*>(S\d+)</abbr>", signals.group(1)) == ["S06", "S11"]


def test_queue_row_without_persons_or_signals_says_so(client: Client, login: Any) -> None:
    login("duty_officer")
    alert = make_alert(signals=[], persons=[], happening_now=False)
    row = _row(client.get("/alerts/").content.decode(), alert.reference)
    assert re.search(r"<td data-age-groups><span class=\"empty\">Not described</span></td>", row)
    assert re.search(r"<td data-signals><span class=\"empty\">None</span></td>", row)


def _merge_panel(page: str) -> str:
    match = re.search(r'<details data-outcome="merge"[^>]*>.*?</details>', page, re.S)
    assert match
    return match.group(0)


def test_merge_panel_is_collapsed_for_a_weak_candidate(client: Client, login: Any) -> None:
    first = make_alert(municipality="0501", narrative="Hombres sin pago en una finca de café en la montaña")
    weak = make_alert(
        municipality="0501",
        narrative="Una muchacha en un bar del centro, la obligan a atender",
        persons=[{"age_group": "adult", "sex": "male"}],
    )
    login("duty_officer")
    panel = _merge_panel(client.get(f"/alerts/{first.reference}/").content.decode())
    assert f'data-duplicate="{weak.reference}"' in panel  # still listed, one click away
    assert not panel.startswith('<details data-outcome="merge" open')
    assert "data-high" not in panel
    assert "same signals (S06, S11)" in panel


def test_merge_panel_opens_for_a_strong_candidate_and_says_why(client: Client, login: Any) -> None:
    narrative = "Niña de quince años encerrada en el bar La Estrella del barrio Guamilito"
    first = make_alert(narrative=narrative, municipality="0501")
    strong = make_alert(narrative=narrative, municipality="0501")
    login("duty_officer")
    panel = _merge_panel(client.get(f"/alerts/{first.reference}/").content.decode())
    assert panel.startswith('<details data-outcome="merge" open')
    item = re.search(rf'<li data-duplicate="{strong.reference}" data-high>.*?</li>', panel, re.S)
    assert item, panel
    why = item.group(0)
    assert "same signals (S06, S11)" in why
    assert "persons alike in age group and sex (100%)" in why
    assert "words in common in the narratives (100%)" in why
