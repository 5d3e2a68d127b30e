from __future__ import annotations

from typing import Any

import pytest

from ruta.inspections import demo
from ruta.inspections.models import Establishment, Handover, Visit

pytestmark = pytest.mark.django_db


def test_demo_is_realistic_and_idempotent(personas: dict[str, Any]) -> None:
    first = demo.seed(personas)
    assert first["establishments"] == len(demo.WORKPLACES) == 40
    assert set(Establishment.objects.values_list("department__code", flat=True)) == {"01", "05", "08"}
    handover = Handover.objects.get()
    assert handover.alert.priority == "P1" and handover.visit.establishment.name == "Centro Nocturno La Luna"
    assert Visit.objects.filter(status="completed").count() == 3
    field_demo = Visit.objects.filter(status="planned", inspector=personas["labour_inspector"])
    assert field_demo.exists()
    assert demo.seed(personas)["created"] == 0
    assert Establishment.objects.count() == 40 and Handover.objects.count() == 1
