"""The individual record (own, exportable; others' need-to-know and audited), the three-month
follow-up in the work list, and the indicators."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ruta.audit.models import AuditEvent
from ruta.competencies.models import Assessment, AssessmentKind, AssessmentStatus
from ruta.core.indicators import indicator
from ruta.training.worklist import follow_up_work
from tests.training.factories import attend_all, certified, enrol, framework, make_session

pytestmark = pytest.mark.django_db


def test_own_record_and_export(personas: dict[str, Any], client: Client) -> None:
    certificate = certified(personas)
    client.force_login(personas["labour_inspector"])
    page = client.get(reverse("training:mine")).content.decode()
    assert "Entrevistas e indicadores" in page and "100.00 %" in page
    response = client.get(reverse("training:my_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == "Entrevistas e indicadores"
    assert rows[1][6] == "100.00" and rows[1][7] == certificate.code
    assert AuditEvent.objects.filter(action="export", actor=personas["labour_inspector"]).exists()
    # Someone else's record page shows none of it.
    client.force_login(personas["caseworker"])
    assert "Entrevistas e indicadores" not in client.get(reverse("training:mine")).content.decode()


def test_coordinator_reading_a_record_is_audited(personas: dict[str, Any], client: Client) -> None:
    certified(personas)
    inspector = personas["labour_inspector"]
    client.force_login(personas["training_coordinator"])
    response = client.get(reverse("training:person", kwargs={"pk": inspector.pk}))
    assert response.status_code == 200 and inspector.get_full_name() in response.content.decode()
    event = AuditEvent.objects.get(action="read", object_type="accounts.user", object_id=str(inspector.pk))
    assert event.actor_id == personas["training_coordinator"].pk
    # A person never enrolled in a session the coordinator reaches: 404.
    other = personas["caseworker"]
    assert client.get(reverse("training:person", kwargs={"pk": other.pk})).status_code == 404


def test_three_month_follow_up_in_the_work_list(personas: dict[str, Any]) -> None:
    caseworker = personas["caseworker"]
    session = make_session(personas, starts_on=timezone.localdate() - timedelta(days=85))
    attend_all(personas, enrol(personas, session, "caseworker"))
    items = follow_up_work(caseworker, False)
    assert [item.kind for item in items] == ["training_follow_up"]
    assert items[0].due_at is not None and items[0].due_at.date() == session.ends_on + timedelta(days=91)
    # Inspectors are followed through their field work instead.
    attend_all(personas, enrol(personas, session))
    assert follow_up_work(personas["labour_inspector"], False) == []
    Assessment.objects.create(
        person=caseworker,
        framework=framework(),
        kind=AssessmentKind.SELF,
        assessor=caseworker,
        assessed_on=timezone.localdate(),
        status=AssessmentStatus.SUBMITTED,
    )
    assert follow_up_work(caseworker, False) == []
    # Her institution's supervisor (SESAL) is asked for the follow-up assessment until it is done.
    supervisor = personas["supervisor_health"]
    [item] = follow_up_work(supervisor, True)
    assert item.url.endswith(f"/people/{caseworker.pk}/assess/{framework().code}/?kind=follow_up")
    assert follow_up_work(personas["supervisor"], True) == []  # the ERI's supervisor: not her institution
    Assessment.objects.create(
        person=caseworker,
        framework=framework(),
        kind=AssessmentKind.FOLLOW_UP,
        assessor=supervisor,
        assessed_on=timezone.localdate(),
        status=AssessmentStatus.SUBMITTED,
    )
    assert follow_up_work(supervisor, True) == []


def test_indicators_count_real_records(personas: dict[str, Any]) -> None:
    certificate = certified(personas)
    session = certificate.enrolment.session
    enrol(personas, session, "caseworker")  # enrolled, never attended: not trained
    trained = indicator("training.participants_trained").count(by=("institution",))
    assert trained == {("stss",): 1}
    issued = indicator("training.certificates_issued").count(since=timezone.localdate())
    assert issued == {(): 1}
    type(certificate).objects.update(is_synthetic=True)
    assert indicator("training.certificates_issued").count() == {(): 0}
