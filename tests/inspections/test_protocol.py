"""The protocol as data: the default protocol's steps and competencies, versions, and a visit
keeping the version it followed."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.inspections.models import Protocol
from ruta.inspections.protocols import current_protocol, editable_protocol, protocol_complete, protocol_new_version
from tests.inspections.factories import planned_visit

pytestmark = pytest.mark.django_db
STEPS = [
    "preparation",
    "entry",
    "observation",
    "documents",
    "interviews",
    "checklist",
    "danger_decision",
    "closing_meeting",
    "report",
    "referral",
    "follow_up",
]


def test_default_protocol_per_type() -> None:
    for inspection_type in ("programmed", "complaint", "follow_up", "joint_operation"):
        protocol = current_protocol(inspection_type)
        steps = list(protocol.steps.all())
        assert [step.code for step in steps] == STEPS
        assert all(step.labels.keys() >= {"es", "en", "fr"} and step.guidance.get("es") for step in steps)
        codes = {code for step in steps for code in step.competency_codes}
        assert codes == {f"LI-{n:02d}" for n in range(1, 14)}
    interviews = current_protocol("programmed").steps.get(code="interviews")
    assert interviews.competency_codes == ["LI-06", "LI-09"] and interviews.required


def test_editing_a_protocol_in_use_makes_a_new_version(personas: dict[str, Any]) -> None:
    original = current_protocol("programmed")
    assert editable_protocol(actor=None, protocol=original) == original  # nobody follows it yet
    visit = planned_visit(personas)
    assert visit.protocol == original
    edited = editable_protocol(actor=personas["inspection_director"], protocol=original)
    assert edited != original and edited.version == original.version + 1
    edited.steps.filter(code="report").update(required=False)
    original.refresh_from_db()
    assert not original.is_current and current_protocol("programmed") == edited
    assert original.steps.get(code="report").required  # the old version is untouched
    visit.refresh_from_db()
    assert visit.protocol == original
    assert planned_visit(personas).protocol == edited
    assert Protocol.objects.filter(inspection_type="programmed").count() == 2


def test_completeness_follows_the_visits_version(personas: dict[str, Any]) -> None:
    original = current_protocol("programmed")
    required = [step.code for step in original.steps.all() if step.required]
    done = {code: {"done": True} for code in required}
    assert protocol_complete(original, done)
    assert not protocol_complete(original, {**done, "report": {"done": False}})
    newer = protocol_new_version(actor=None, protocol=original)
    newer.steps.filter(code="referral").update(required=True)
    assert protocol_complete(original, done) and not protocol_complete(newer, done)
