"""Instruments and submissions for the tests, built through the services."""

from __future__ import annotations

import io
from typing import Any

from ruta.instruments.models import InstrumentVersion, Submission
from ruta.instruments.services import import_xlsform, save_web_submission
from tests.instruments.forms import full_form

VALID_ANSWERS: dict[str, Any] = {
    "institution": "ONG Fortalece",
    "staff": "12",
    "budget": "1500.5",
    "founded": "2010-05-01",
    "has_protocol": "yes",
    "pillars": ["prevention", "protection"],
    "contact/email": "info@fortalece.hn",
    "programme": [{"programme/programme_name": "Escuelas seguras", "programme/beneficiaries": "300"}],
}


def capacity_version(user: Any = None, version: str = "2024-01") -> InstrumentVersion:
    return import_xlsform(io.BytesIO(full_form(version)), user=user, file_name="capacity.xlsx")


def web_submission(version: InstrumentVersion, user: Any, key: str = "k-1") -> Submission:
    return save_web_submission(version, dict(VALID_ANSWERS), user=user, idempotency_key=key)
