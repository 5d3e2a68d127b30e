"""Ruta's web form of an XLSForm: labels by language, relevance, required, constraints,
calculations, repeats, metadata, idempotency, and the show/hide round trip."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone, translation

from ruta.instruments.models import Submission, SubmissionSource
from ruta.instruments.services import SubmissionInvalid, save_web_submission
from ruta.instruments.webform import FormDefinition, evaluate
from tests.instruments.factories import VALID_ANSWERS, capacity_version

pytestmark = pytest.mark.django_db


def _post(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {key: value for key, value in VALID_ANSWERS.items() if key != "programme"}
    data.update({"programme[0]/programme_name": "Escuelas seguras", "programme[0]/beneficiaries": "300"})
    data.update({"programme[1]/programme_name": "Rutas", "programme[1]/beneficiaries": "20"})
    data["idempotency_key"] = "web-1"
    data.update(overrides)
    return data


def test_labels_follow_the_active_language_with_the_form_default_as_fallback(client: Any, login: Any) -> None:
    login("enumerator")
    version = capacity_version()
    url = f"/instruments/versions/{version.pk}/fill/"
    with translation.override("en"):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staff" in english and "Beneficiaries" in english and "Prevention" in english
    definition = FormDefinition.of(version)
    staff = definition.by_name["staff"]
    for language, expected in (("es", "Personal"), ("en", "Staff"), ("fr", "Personal")):
        with translation.override(language):
            assert definition.label(staff.label) == expected


def test_a_valid_entry_is_stored_with_calculations_metadata_and_repeats(client: Any, login: Any) -> None:
    user = login("enumerator")
    version = capacity_version()
    response = client.post(f"/instruments/versions/{version.pk}/fill/", _post())
    assert response.status_code == 302
    submission = Submission.objects.get()
    data = submission.data
    assert (submission.source, submission.submitted_by, submission.version) == (SubmissionSource.WEB, user, version)
    assert data["staff"] == 12 and data["budget"] == 1500.5 and data["pillars"] == "prevention protection"
    assert data["pillar_count"] == "2"
    assert data["per_head"] == "125.04"  # round(1500.5 / 12, 2)
    assert data["summary"] == "ONG Fortalece info@fortalece.hn"  # coalesce: no phone, so the e-mail
    assert data["staff_int"] == "18"
    assert data["programme"] == [
        {"programme/programme_name": "Escuelas seguras", "programme/beneficiaries": 300},
        {"programme/programme_name": "Rutas", "programme/beneficiaries": 20},
    ]
    assert data["today"] == timezone.localdate().isoformat() and data["deviceid"] == f"ruta:{user.pk}"
    assert data["start"] and data["end"] and "contact/phone" not in data


def test_irrelevant_answers_are_dropped_on_the_server() -> None:
    version = capacity_version()
    definition = FormDefinition.of(version)
    answers = {**VALID_ANSWERS, "has_protocol": "no", "staff": "0", "contact/phone": "2222-0000"}
    evaluation = evaluate(definition, answers, metadata=None)
    assert evaluation.errors == {}
    # pillars only when there is a protocol, budget only with staff, phone only without e-mail.
    assert {"pillars", "budget", "contact/phone"} <= evaluation.hidden
    assert (
        "pillars" not in evaluation.data and "budget" not in evaluation.data and "contact/phone" not in evaluation.data
    )
    assert evaluation.data["per_head"] == "0" and evaluation.data["pillar_count"] == "0"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"institution": ""}, "institution", "This answer is required."),
        ({"institution": "ON"}, "institution", "At least 3 letters"),
        ({"staff": "-1"}, "staff", "Between 0 and 9999"),
        ({"staff": "doce"}, "staff", "not a whole number"),
        ({"budget": "-5"}, "budget", "Must be positive"),
        ({"founded": "2999-01-01"}, "founded", "Not in the future"),
        ({"founded": "ayer"}, "founded", "not a date"),
        ({"has_protocol": "maybe"}, "has_protocol", "not a choice"),
        ({"pillars": ["prevention", "protection", "prosecution", "partnership"]}, "pillars", "Three at most"),
        ({"contact/email": "nope"}, "contact/email", "Not an e-mail"),
        ({"programme[1]/programme_name": ""}, "programme[1]/programme_name", "This answer is required."),
        ({"programme[0]/beneficiaries": "-3"}, "programme[0]/beneficiaries", "This answer is not accepted."),
    ],
)
def test_wrong_answers_are_refused_by_input_name(
    client: Any, login: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    login("enumerator")
    version = capacity_version()
    with translation.override("en"):
        response = client.post(
            f"/instruments/versions/{version.pk}/fill/", _post(**overrides), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400
    assert not Submission.objects.exists()
    with translation.override("en"):
        definition = FormDefinition.of(version)
        from django.http import QueryDict

        from ruta.instruments.webform import answers_from_post

        query = QueryDict(mutable=True)
        for key, value in _post(**overrides).items():
            query.setlist(key, value if isinstance(value, list) else [value])
        errors = evaluate(definition, answers_from_post(definition, query), metadata=None).errors
    assert list(errors) == [field] and message in errors[field]
    assert message in response.content.decode()


def test_the_same_idempotency_key_stores_one_submission(personas: dict[str, Any]) -> None:
    version = capacity_version()
    user = personas["enumerator"]
    first = save_web_submission(version, dict(VALID_ANSWERS), user=user, idempotency_key="same")
    second = save_web_submission(version, dict(VALID_ANSWERS), user=user, idempotency_key="same")
    assert first.pk == second.pk and Submission.objects.count() == 1
    with pytest.raises(SubmissionInvalid) as raised:
        save_web_submission(version, {**VALID_ANSWERS, "staff": "x"}, user=user, idempotency_key="other")
    assert list(raised.value.errors) == ["staff"]


def test_relevance_round_trip_lists_hidden_inputs_and_calculated_values(client: Any, login: Any) -> None:
    login("enumerator")
    version = capacity_version()
    url = f"/instruments/versions/{version.pk}/relevance/"
    hidden = client.post(url, {"has_protocol": "no", "staff": "0"}).json()
    assert "pillars" in hidden["hidden"] and "budget" in hidden["hidden"]
    shown = client.post(url, {"has_protocol": "yes", "pillars": ["prevention"], "staff": "2", "budget": "10"}).json()
    assert "pillars" not in shown["hidden"] and "budget" not in shown["hidden"]
    assert shown["values"]["pillar_count"] == "1" and shown["values"]["per_head"] == "5"
    assert shown["labels"] == {"pillars_note": "You chose 1"}  # the note that shows an answer
    assert not Submission.objects.exists()


def test_fill_page_has_repeat_template_and_no_inline_script(client: Any, login: Any) -> None:
    login("enumerator")
    version = capacity_version()
    page = client.get(f"/instruments/versions/{version.pk}/fill/").content.decode()
    assert 'name="programme[__programme__]/programme_name"' in page  # the template JS clones
    assert 'name="programme[0]/programme_name"' in page
    assert "js/instruments-form.js" in page
    assert "<script>" not in page
