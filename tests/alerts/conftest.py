"""Helpers for the alert tests: build alerts through the real services."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.alerts.configuration import catalogue_load
from ruta.alerts.intake import PersonInput, alert_submit, clean_submission
from ruta.alerts.models import MessagingChannel
from ruta.alerts.rapidpro import hash_secret


def valid_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "narrative": "Una adolescente trabaja de noche en un bar y no la dejan salir.",
        "municipality": "0801",
        "signals": ["S06", "S11"],
        "happening_now": True,
        "persons": [{"age": 15, "age_group": "child", "sex": "female"}],
    }
    payload.update(overrides)
    return payload


def make_alert(actor: Any = None, channel: str = "api", **overrides: Any) -> Any:
    data = clean_submission(valid_payload(**overrides))
    return alert_submit(actor=actor, data=data, channel=channel).alert


@pytest.fixture
def reference_data(reference_data: dict[str, Any]) -> dict[str, Any]:
    """Also the alert catalogue: a transactional test's flush elsewhere empties migration-loaded data."""
    catalogue_load()
    return reference_data


@pytest.fixture
def sms_channel(reference_data: Any) -> MessagingChannel:
    """A RapidPro channel whose secret is "s3cret"."""
    return MessagingChannel.objects.create(code="sms", name="SMS", secret_hash=hash_secret("s3cret"))


@pytest.fixture
def alert_factory(reference_data: Any) -> Any:
    return make_alert


__all__ = ["PersonInput", "make_alert", "valid_payload"]
