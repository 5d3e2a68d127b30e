"""The formal ILO–EC screening of each person on the alert page: who may screen, what is saved, and
the result with its rationale shown to the responder."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from ruta.alerts import triage
from ruta.alerts.views import SCREENING_SUBJECT
from ruta.screening.models import ScreeningRecord
from ruta.screening.services import screening_record_create
from tests.alerts.conftest import make_alert

pytestmark = pytest.mark.django_db

CHILD_TRAFFICKING = ["THB-CL-DR-01", "THB-CL-DR-10", "THB-CL-EX-01", "THB-CL-EX-02"]


def _url(alert: Any, person: Any) -> str:
    return f"/alerts/{alert.reference}/persons/{person.pk}/screen/"


def _post(person: Any, **overrides: Any) -> dict[str, Any]:
    prefix = f"screen-{person.pk}"
    data = {"age": "15", "presumed_child": "", "exploitation": "labour", "indicators": CHILD_TRAFFICKING}
    data.update(overrides)
    return {f"{prefix}-{name}": value for name, value in data.items()}


def test_alert_page_has_a_screening_form_per_person(client: Client, login: Any, reference_data: Any) -> None:
    login("eri_responder")
    # Paid sex reported (S12): the sexual-exploitation list is the starting point (it falls back to labour).
    alert = make_alert(
        signals=["S12"], persons=[{"age": 15, "age_group": "child", "sex": "female"}, {"age_group": "adult"}]
    )
    first, second = alert.persons.all()
    page = client.get(f"/alerts/{alert.reference}/").content.decode()
    assert page.count("Not screened yet") == 2
    for person in (first, second):
        assert f'action="{_url(alert, person)}"' in page
        assert f'name="screen-{person.pk}-age"' in page
    # The reporter's description is the starting point: the child's list for the 15-year-old.
    assert 'value="15"' in page and "THB-CL-DR-01" in page


def test_screening_is_saved_for_the_alert_person_and_shown_with_its_rationale(
    client: Client, login: Any, reference_data: Any
) -> None:
    eri = login("eri_responder")
    alert = make_alert()
    person = alert.persons.get()
    response = client.post(_url(alert, person), _post(person))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/alerts/{alert.reference}/#screening-person-{person.pk}")
    record = ScreeningRecord.objects.get()
    assert (record.subject_type, record.subject_id, record.created_by) == (SCREENING_SUBJECT, str(person.pk), eri)
    assert (record.outcome, record.child_rule, record.list_code) == ("trafficking", True, "child_labour")
    page = client.get(f"/alerts/{alert.reference}/").content.decode()
    assert "Presumed victim of trafficking" in page
    assert f'data-screening-record="{record.pk}"' in page
    assert record.rationale and all(escape(line) in page for line in record.display["rationale"])
    assert "Screen this person again" in page


def test_bad_input_shows_the_form_again_and_saves_nothing(client: Client, login: Any, reference_data: Any) -> None:
    login("eri_responder")
    alert = make_alert()
    person = alert.persons.get()
    # Adult indicators for a 15-year-old: they do not belong to the child's list.
    response = client.post(_url(alert, person), _post(person, indicators=["THB-AL-DR-01"]))
    assert response.status_code == 400
    assert "do not belong to it" in response.content.decode()
    assert not ScreeningRecord.objects.exists()


def test_refresh_shows_the_list_for_the_new_answers_without_saving(
    client: Client, login: Any, reference_data: Any
) -> None:
    login("eri_responder")
    alert = make_alert()
    person = alert.persons.get()
    response = client.post(_url(alert, person), {**_post(person, age="35", indicators=[]), "refresh": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "THB-AL-DR-01" in page and "Adult rule." in page
    assert not ScreeningRecord.objects.exists()


@pytest.mark.parametrize("persona", ["eri_responder_north", "community_reporter", "caseworker", "analyst"])
def test_who_may_not_screen_gets_404_and_nothing_is_saved(
    client: Client, login: Any, personas: Any, persona: str
) -> None:
    # A capital alert created by the community reporter: they see it, but screening is not theirs.
    alert = make_alert(actor=personas["community_reporter"], channel="staff")
    person = alert.persons.get()
    login(persona)
    assert client.post(_url(alert, person), _post(person)).status_code == 404
    assert not ScreeningRecord.objects.exists()
    if persona == "community_reporter":
        page = client.get(f"/alerts/{alert.reference}/").content.decode()
        assert "Formal screening of each person" not in page


def test_a_person_of_another_alert_is_404(client: Client, login: Any, reference_data: Any) -> None:
    login("eri_responder")
    alert, other = make_alert(), make_alert()
    assert client.post(_url(alert, other.persons.get()), _post(other.persons.get())).status_code == 404
    assert not ScreeningRecord.objects.exists()


def test_closed_alert_keeps_its_results_but_takes_no_new_screening(client: Client, login: Any, personas: Any) -> None:
    eri = login("eri_responder")
    alert = make_alert()
    person = alert.persons.get()
    screening_record_create(
        actor=eri,
        subject_type=SCREENING_SUBJECT,
        subject_id=person.pk,
        age=15,
        presumed_child=None,
        exploitation="labour",
        indicator_codes=CHILD_TRAFFICKING,
    )
    triage.alert_close(actor=eri, alert=alert, status="closed_unfounded", reason="No se encontró a nadie.")
    page = client.get(f"/alerts/{alert.reference}/").content.decode()
    assert "Presumed victim of trafficking" in page and "Record the screening" not in page
    assert client.post(_url(alert, person), _post(person)).status_code == 404
    assert ScreeningRecord.objects.count() == 1


def test_saved_screenings_cost_one_query_whatever_their_number(client: Client, login: Any, reference_data: Any) -> None:
    eri = login("eri_responder")
    alert = make_alert(persons=[{"age": 15, "age_group": "child", "sex": "female"}, {"age": 16, "age_group": "child"}])
    triage.alert_close(actor=eri, alert=alert, status="closed_unfounded", reason="Sin datos.")  # no forms

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/alerts/{alert.reference}/").status_code == 200
        return len(queries)

    before = count()
    for person in alert.persons.all():
        for _ in range(3):
            screening_record_create(
                actor=eri,
                subject_type=SCREENING_SUBJECT,
                subject_id=person.pk,
                age=15,
                presumed_child=None,
                exploitation="labour",
                indicator_codes=CHILD_TRAFFICKING,
            )
    assert count() == before


def test_the_alert_page_costs_the_same_queries_for_one_person_or_several(
    client: Client, login: Any, reference_data: Any
) -> None:
    """The indicator catalogue is read once for the page, not once per person's screening form."""
    login("eri_responder")
    one = make_alert(persons=[{"age": 15, "age_group": "child", "sex": "female"}])
    several = make_alert(persons=[{"age": 15, "age_group": "child", "sex": "female"}] + [{"age_group": "adult"}] * 3)
    client.get(f"/alerts/{one.reference}/")  # warm the session and the navigation caches alike
    counts = []
    for alert in (one, several):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(f"/alerts/{alert.reference}/").content.decode()
        counts.append(len(captured.captured_queries))
        assert page.count("Not screened yet") == alert.persons.count()
    assert counts[0] == counts[1]


def test_commercial_sexual_exploitation_of_a_child_makes_the_alert_p1(
    client: Client, login: Any, reference_data: Any
) -> None:
    login("eri_responder")
    # A 14-year-old girl in a bar, documents withheld: the reporter's signals alone give P2.
    alert = make_alert(signals=["S05"], persons=[{"age": 14, "age_group": "child", "sex": "female"}])
    assert alert.priority == "P2"
    person = alert.persons.get()
    post = _post(person, age="14", exploitation="sexual", indicators=["THB-CL-CD-01"], cse_child="on")
    assert client.post(_url(alert, person), post).status_code == 302
    record = ScreeningRecord.objects.get()
    assert (record.outcome, record.result["cse_child"]) == ("possible", True)
    alert.refresh_from_db()
    assert alert.priority == "P1"
    assert alert.priority_rationale["rule"] == "cse_child" and "cse_child" in alert.priority_rationale["facts"]
    assert alert.events.filter(new__priority="P1", new__screening=record.pk).exists()
    page = client.get(f"/alerts/{alert.reference}/").content.decode()
    assert "A formal screening recorded commercial sexual exploitation of a child." in page
    assert "Suggested referrals: Police, Public prosecutor, Child protection." in page


def test_commercial_sexual_exploitation_cannot_be_recorded_for_an_adult(
    client: Client, login: Any, reference_data: Any
) -> None:
    login("eri_responder")
    alert = make_alert(signals=["S05"], persons=[{"age": 30, "age_group": "adult"}])
    before = alert.priority
    person = alert.persons.get()
    post = _post(person, age="30", exploitation="sexual", indicators=["THB-AL-CD-01"], cse_child="on")
    response = client.post(_url(alert, person), post)
    assert response.status_code == 400
    assert "can be recorded only for a child" in response.content.decode()
    assert not ScreeningRecord.objects.exists()
    alert.refresh_from_db()
    assert alert.priority == before


def test_without_reported_paid_sex_the_responder_chooses_the_exploitation(
    client: Client, login: Any, reference_data: Any
) -> None:
    login("eri_responder")
    alert = make_alert(signals=["S05"], persons=[{"age": 14, "age_group": "child", "sex": "female"}])
    person = alert.persons.get()
    page = client.get(f"/alerts/{alert.reference}/").content.decode()
    assert f'name="screen-{person.pk}-exploitation"' in page
    assert f'name="screen-{person.pk}-exploitation" value="labour" checked' not in page
    assert "THB-CL-DR-01" not in page and "Choose the type of exploitation" in page
