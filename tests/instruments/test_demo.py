from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from ruta.instruments import demo
from ruta.instruments.models import Instrument, Submission
from ruta.instruments.webform import FormDefinition

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_the_questionnaire_speaks_three_languages(personas: dict[str, Any]) -> None:
    summary = demo.seed(personas)
    assert summary["submissions"] == len(demo.ANSWERS) == 3
    demo.seed(personas)
    assert Submission.objects.count() == 3 and Instrument.objects.count() == 1
    version = Instrument.objects.get(form_id=demo.BASELINE_FORM_ID).versions.get()
    assert version.languages == ["Español (es)", "English (en)", "Français (fr)"]
    definition = FormDefinition.of(version)
    for language, expected in (("es", "Institución"), ("en", "Institution"), ("fr", "Institution")):
        with translation.override(language):
            assert definition.label(definition.by_name["institucion"].label) == expected
    sesal = Submission.objects.get(data__institucion="sesal")
    assert sesal.data["personal/pct_capacitado"] == "30"  # 12 of 40
    seduc = Submission.objects.get(data__institucion="seduc")
    assert "protocolos/anio_protocolo" not in seduc.data
    assert not version.warnings or all("missing" in warning["message"] for warning in version.warnings)
