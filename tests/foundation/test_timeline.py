"""Every timeline event the code records has a translated label."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

from ruta.core.timeline import EVENT_LABELS, event_label

ROOT = Path(__file__).resolve().parents[2] / "ruta"


def _recorded_kinds() -> set[str]:
    kinds: set[str] = set()
    for path in [p for p in [*ROOT.glob("cases/*.py"), *ROOT.glob("persons/*.py")] if p.name != "worklist.py"]:
        kinds |= set(re.findall(r'kind="([a-z_]+)"', path.read_text()))
        kinds |= set(re.findall(r'"((?:plan|closure)_[a-z]+)" if', path.read_text()))
        kinds |= set(re.findall(r'else "((?:plan|closure)_[a-z]+)"', path.read_text()))
    referral_services = (ROOT / "referrals" / "services.py").read_text()
    kinds |= {f"referral_{k}" for k in re.findall(r'_event\(\s*referral, actor, "([a-z_]+)"', referral_services)}
    return kinds


def test_every_recorded_event_has_a_label() -> None:
    kinds = _recorded_kinds()
    assert len(kinds) > 20
    assert [kind for kind in sorted(kinds) if event_label(kind) == kind] == []


def test_labels_are_translated_and_unknown_codes_stay_visible() -> None:
    with translation.override("es"):
        assert (
            event_label("referral_accepted") == "Referencia aceptada" or event_label("referral_accepted") != "accepted"
        )
        rendered = Template("{% load ruta %}{{ kind|event_label }}").render(Context({"kind": "case_opened"}))
        assert rendered and rendered != "case_opened"
    assert event_label("something_new") == "something_new"
    assert "case_opened" in EVENT_LABELS
