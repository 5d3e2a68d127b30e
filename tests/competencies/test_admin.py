"""The back office shows frameworks to those who manage them, and assessments to nobody."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from tests.competencies.factories import inspector_framework

pytestmark = pytest.mark.django_db


def test_frameworks_in_the_back_office(personas: dict[str, Any], client: Any) -> None:
    framework = inspector_framework()
    client.force_login(personas["administrator"])
    assert client.get(reverse("admin:competencies_framework_changelist")).status_code == 200
    page = client.get(reverse("admin:competencies_framework_change", args=[framework.pk]))
    assert page.status_code == 200
    assert "Risk-based planning" in client.get(reverse("admin:competencies_competency_changelist")).content.decode()
    with pytest.raises(NoReverseMatch):
        reverse("admin:competencies_assessment_changelist")
