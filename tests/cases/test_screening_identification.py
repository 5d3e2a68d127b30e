"""The identification step with a formal screening: the victims' screenings (result and rationale)
are shown, a screening can be recorded in place and is attached to the decision in one transaction,
and only a screening of the person decided about can be attached."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ruta.alerts.models import AlertPerson
from ruta.alerts.triage import alert_open_case
from ruta.cases.models import Case, IdentificationDecision
from ruta.cases.protection import PERSON_SUBJECT
from ruta.screening.models import ScreeningRecord
from ruta.screening.services import screening_record_create
from tests.alerts.conftest import make_alert
from tests.cases import factories

pytestmark = pytest.mark.django_db

ALERT_PERSON_SUBJECT = AlertPerson._meta.label_lower
# The case is about sexual exploitation: until that list is loaded the adult labour list is used.
ADULT_TRAFFICKING = ["THB-AL-DR-01", "THB-AL-DR-02", "THB-AL-EX-01", "THB-AL-EX-02", "THB-AL-CD-01", "THB-AL-CD-02"]


def _url(case: Case) -> str:
    return reverse("cases:identify", kwargs={"reference": case.reference})


def _decision(case: Case, person: Any, **extra: Any) -> dict[str, Any]:
    case.refresh_from_db()
    return {
        "version": case.version,
        "person": person.pk,
        "outcome": "identified",
        "institution": case.lead_institution_id,
        "decided_on": timezone.localdate().isoformat(),
        "basis": "Entrevista y tamizaje formal.",
        **extra,
    }


def _screening(age: str = "24", codes: list[str] = ADULT_TRAFFICKING) -> dict[str, Any]:
    return {
        "screen_now": "on",
        "screening-age": age,
        "screening-exploitation": "sexual",
        "screening-indicators": codes,
    }


@pytest.fixture
def case(personas: dict[str, Any]) -> Case:
    return factories.open_case(personas["eri_responder"])


def test_page_offers_the_screening_form_prefilled_from_the_victim(client: Client, personas: Any, case: Case) -> None:
    client.force_login(personas["eri_responder"])
    page = client.get(_url(case)).content.decode()
    assert "Not screened yet" in page
    assert 'name="screen_now"' in page and 'name="screening-age"' in page and 'value="24"' in page
    # Sexual exploitation falls back to the adult labour list, and says so.
    assert "THB-AL-DR-01" in page and "is not loaded yet" in page


def test_decision_with_a_screening_done_in_place(client: Client, personas: Any, case: Case) -> None:
    eri = personas["eri_responder"]
    client.force_login(eri)
    victim = factories.victim(case)
    response = client.post(_url(case), {**_decision(case, victim), **_screening()})
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ScreeningRecord.objects.get()
    assert (record.subject_type, record.subject_id, record.created_by) == (PERSON_SUBJECT, str(victim.pk), eri)
    assert record.outcome == "trafficking" and record.result["fallback"]
    decision = IdentificationDecision.objects.get(case=case)
    assert decision.screening_record_id == record.pk
    page = client.get(_url(case)).content.decode()
    assert f'data-screening-record="{record.pk}"' in page and "Presumed victim of trafficking" in page


def test_decision_without_screening_still_works(client: Client, personas: Any, case: Case) -> None:
    client.force_login(personas["eri_responder"])
    response = client.post(_url(case), _decision(case, factories.victim(case)))
    assert response.status_code == 302
    assert IdentificationDecision.objects.get(case=case).screening_record_id is None
    assert not ScreeningRecord.objects.exists()


def test_bad_screening_saves_neither(client: Client, personas: Any, case: Case) -> None:
    client.force_login(personas["eri_responder"])
    response = client.post(
        _url(case), {**_decision(case, factories.victim(case)), **_screening(codes=["THB-CL-DR-01"])}
    )
    assert response.status_code == 400
    assert "do not belong to it" in response.content.decode()
    assert not ScreeningRecord.objects.exists() and not IdentificationDecision.objects.exists()


def test_refused_decision_keeps_no_screening(client: Client, personas: Any, case: Case) -> None:
    client.force_login(personas["eri_responder"])
    victim = factories.victim(case)
    before_opening = (case.opened_at - timezone.timedelta(days=30)).date().isoformat()
    response = client.post(_url(case), {**_decision(case, victim, decided_on=before_opening), **_screening()})
    assert response.status_code == 400
    assert not ScreeningRecord.objects.exists() and not IdentificationDecision.objects.exists()
    stale = {**_decision(case, victim), **_screening(), "version": 1}
    Case.objects.filter(pk=case.pk).update(version=case.version + 5)
    response = client.post(_url(case), stale)
    assert response.status_code == 409
    assert not ScreeningRecord.objects.exists() and not IdentificationDecision.objects.exists()


def test_attach_and_record_at_once_is_refused(client: Client, personas: Any, case: Case) -> None:
    eri = personas["eri_responder"]
    client.force_login(eri)
    victim = factories.victim(case)
    old = screening_record_create(
        actor=eri,
        subject_type=PERSON_SUBJECT,
        subject_id=victim.pk,
        age=24,
        presumed_child=None,
        exploitation="labour",
        indicator_codes=ADULT_TRAFFICKING,
    )
    response = client.post(_url(case), {**_decision(case, victim, screening_record_id=old.pk), **_screening()})
    assert response.status_code == 400
    assert ScreeningRecord.objects.count() == 1 and not IdentificationDecision.objects.exists()


def test_only_a_screening_of_that_person_can_be_attached(client: Client, personas: Any, case: Case) -> None:
    eri = personas["eri_responder"]
    client.force_login(eri)
    someone_else = screening_record_create(
        actor=eri,
        subject_type=PERSON_SUBJECT,
        subject_id=factories.victim(factories.open_case(eri)).pk,
        age=24,
        presumed_child=None,
        exploitation="labour",
        indicator_codes=ADULT_TRAFFICKING,
    )
    response = client.post(_url(case), _decision(case, factories.victim(case), screening_record_id=someone_else.pk))
    assert response.status_code == 400
    assert "not of the person chosen" in response.content.decode()
    assert not IdentificationDecision.objects.exists()


def test_the_screening_done_in_triage_is_shown_and_can_be_attached(client: Client, personas: Any) -> None:
    eri = personas["eri_responder"]
    client.force_login(eri)
    alert = make_alert(persons=[{"age": 30, "age_group": "adult", "sex": "female"}])
    alert_person = alert.persons.get()
    triage = screening_record_create(
        actor=eri,
        subject_type=ALERT_PERSON_SUBJECT,
        subject_id=alert_person.pk,
        age=30,
        presumed_child=None,
        exploitation="labour",
        indicator_codes=ADULT_TRAFFICKING,
    )
    case = alert_open_case(actor=eri, alert=alert, alert_persons=[alert_person])
    page = client.get(_url(case)).content.decode()
    assert f'data-screening-record="{triage.pk}"' in page and "during triage of the alert" in page
    victim = factories.victim(case)
    response = client.post(_url(case), _decision(case, victim, screening_record_id=triage.pk))
    assert response.status_code == 302
    assert IdentificationDecision.objects.get(case=case).screening_record_id == triage.pk


def test_refresh_keeps_the_entries_and_saves_nothing(client: Client, personas: Any, case: Case) -> None:
    client.force_login(personas["eri_responder"])
    data = {**_decision(case, factories.victim(case), basis="Mi texto."), **_screening(age="15", codes=[])}
    response = client.post(_url(case), {**data, "refresh": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "THB-CL-DR-01" in page and "Mi texto." in page
    assert not ScreeningRecord.objects.exists() and not IdentificationDecision.objects.exists()
