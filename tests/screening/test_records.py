"""screening_record_create: the saved screening of a subject, its audit row, the reusable form and
the result include that alerts and cases embed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.template.loader import render_to_string

from ruta.audit.models import AuditEvent
from ruta.screening.errors import InvalidInputError, UnknownIndicatorError, WrongListError
from ruta.screening.forms import ScreeningForm
from ruta.screening.models import RuleTable, ScreeningRecord
from ruta.screening.selectors import screening_records_for_subject
from ruta.screening.services import screening_record_create

pytestmark = pytest.mark.django_db

GIRL = {
    "age": 15,
    "presumed_child": False,
    "exploitation": "labour",
    "indicator_codes": ["THB-CL-DR-01", "THB-CL-DR-10", "THB-CL-EX-01", "THB-CL-EX-02"],
}


def test_record_keeps_input_result_versions_and_author(personas: dict[str, Any]) -> None:
    eri = personas["eri_responder"]
    record = screening_record_create(actor=eri, subject_type="alert_person", subject_id=42, **GIRL)
    assert (record.subject_type, record.subject_id, record.created_by) == ("alert_person", "42", eri)
    assert (record.age, record.presumed_child, record.exploitation) == (15, False, "labour")
    assert record.indicator_codes == GIRL["indicator_codes"]
    assert (record.outcome, record.child_rule, record.list_code) == ("trafficking", True, "child_labour")
    assert record.dimensions["DR"] and record.dimensions["EX"] and not record.dimensions["CD"]
    assert record.rationale == record.result["rationale"] and record.rationale
    assert (record.list_version, record.rules_version) == (1, RuleTable.objects.get().version)
    assert [item["code"] for item in record.indicators_snapshot] == GIRL["indicator_codes"]
    assert record.indicators_snapshot[0]["labels"]["en"].startswith("Deceived about the nature")
    event = AuditEvent.objects.get(object_type="screening.screeningrecord", object_id=str(record.pk))
    assert (event.action, event.actor) == ("create", eri)
    assert list(screening_records_for_subject(subject_type="alert_person", subject_id=42)) == [record]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"indicator_codes": ["THB-AL-DR-01"]}, WrongListError),
        ({"indicator_codes": ["NOPE"]}, UnknownIndicatorError),
        ({"age": -1}, InvalidInputError),
        ({"exploitation": "begging"}, InvalidInputError),
    ],
)
def test_bad_input_saves_nothing(personas: dict[str, Any], changes: dict[str, Any], error: type[Exception]) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(error):
        screening_record_create(
            actor=personas["caseworker"], subject_type="case_person", subject_id="7", **{**GIRL, **changes}
        )
    assert ScreeningRecord.objects.count() == 0 and AuditEvent.objects.count() == events


def test_only_screeners_may_record(personas: dict[str, Any]) -> None:
    for key in ("analyst", "administrator", "legal_liaison"):
        with pytest.raises(PermissionDenied):
            screening_record_create(actor=personas[key], subject_type="alert_person", subject_id="1", **GIRL)
    with pytest.raises(ValueError):
        screening_record_create(actor=personas["caseworker"], subject_type="", subject_id="1", **GIRL)
    assert ScreeningRecord.objects.count() == 0


def test_form_with_prefix_feeds_the_service(personas: dict[str, Any]) -> None:
    data = QueryDict(mutable=True)
    data.update({"scr-age": "", "scr-presumed_child": "yes", "scr-exploitation": "sexual"})
    data.setlist("scr-indicators", ["THB-CL-DR-01", "THB-CL-DR-10"])
    form = ScreeningForm(data, prefix="scr")
    assert form.is_valid(), form.errors
    assert form.applicable is not None and form.applicable.fallback and form.applicable.code == "child_labour"
    record = screening_record_create(
        actor=personas["supervisor"], subject_type="case_person", subject_id="9", **form.service_kwargs()
    )
    assert (record.presumed_child, record.child_rule, record.outcome) == (True, True, "possible")
    assert record.result["fallback"] is True and record.result["requested_list"] == "child_sexual"


def test_form_refuses_codes_of_a_list_that_no_longer_applies() -> None:
    data = QueryDict(mutable=True)
    data.update({"age": "40", "exploitation": "labour"})
    data.setlist("indicators", ["THB-CL-DR-01"])
    form = ScreeningForm(data)
    assert not form.is_valid()
    assert form.errors["indicators"][0].startswith("The list of indicators changed")


def test_result_include_renders_a_stored_record(personas: dict[str, Any]) -> None:
    record = screening_record_create(actor=personas["caseworker"], subject_type="case_person", subject_id="3", **GIRL)
    html = render_to_string("screening/includes/result.html", {"screening_result": record.display})
    assert "outcome-trafficking" in html
    assert "THB-CL-DR-01" in html and "never decides alone" in html
    for line in record.display["rationale"][:2]:
        assert line.split(":")[0] in html
