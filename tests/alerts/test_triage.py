"""Scopes, the queue (query counts), locks, assignment, outcomes a–d, duplicates, public status."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ruta.alerts import intake, triage
from ruta.alerts.models import Alert, AlertEvent
from ruta.alerts.selectors import QueueFilters, alert_queue, suggested_duplicates
from ruta.audit.models import AuditEvent
from ruta.cases.models import Case
from ruta.institutions.models import Institution
from tests.alerts.conftest import make_alert


def test_north_responder_never_sees_another_department(client: Client, api_as: Any, personas: Any) -> None:
    capital = make_alert(municipality="0801")
    north = make_alert(municipality="0501")
    unplaced = make_alert(municipality=None)
    user = personas["eri_responder_north"]
    assert list(alert_queue(actor=user, filters=QueueFilters())) == [north]
    client.force_login(user)
    assert client.get(f"/alerts/{capital.reference}/").status_code == 404
    assert client.get(f"/alerts/{unplaced.reference}/").status_code == 404
    assert client.get(f"/alerts/{north.reference}/").status_code == 200
    assert client.post(f"/alerts/{capital.reference}/take/").status_code == 404
    api = api_as("eri_responder_north")
    assert api.get(f"/api/v1/alerts/{capital.reference}/").status_code == 404
    assert [row["reference"] for row in api.get("/api/v1/alerts/").json()["results"]] == [north.reference]
    # The national ERI responder and the duty officer see all three.
    assert alert_queue(actor=personas["eri_responder"], filters=QueueFilters()).count() == 3
    assert alert_queue(actor=personas["duty_officer"], filters=QueueFilters()).count() == 3


def test_reporters_see_only_their_own_alerts(personas: Any) -> None:
    own = make_alert(actor=personas["community_reporter"])
    make_alert()
    assert list(alert_queue(actor=personas["community_reporter"], filters=QueueFilters())) == [own]
    assert list(alert_queue(actor=personas["analyst"], filters=QueueFilters())) == []


def test_handing_to_an_institution_shows_it_to_that_institution_only(personas: Any) -> None:
    alert = make_alert()
    sesal = Institution.objects.get(code="sesal")
    assert not alert_queue(actor=personas["supervisor_health"], filters=QueueFilters()).exists()
    triage.alert_assign(actor=personas["duty_officer"], alert=alert, institution=sesal)
    assert list(alert_queue(actor=personas["supervisor_health"], filters=QueueFilters())) == [alert]
    eri = Institution.objects.get(code="eri")
    with pytest.raises(triage.TriageError):
        triage.alert_assign(actor=personas["duty_officer"], alert=alert, institution=eri)


def test_queue_filters_and_order(personas: Any) -> None:
    p3 = make_alert(signals=["S11"], persons=[], happening_now=False)
    p1 = make_alert()
    north = make_alert(municipality="0501", signals=[], persons=[], happening_now=False)
    officer = personas["duty_officer"]
    assert list(alert_queue(actor=officer, filters=QueueFilters())) == [p1, p3, north]
    assert list(alert_queue(actor=officer, filters=QueueFilters(priority="P3"))) == [p3]
    assert list(alert_queue(actor=officer, filters=QueueFilters(department="05"))) == [north]
    Alert.objects.filter(pk=p3.pk).update(acknowledge_due_at=p3.received_at.replace(year=2020))
    assert list(alert_queue(actor=officer, filters=QueueFilters(overdue=True))) == [p3]
    triage.alert_close(actor=officer, alert=p1, status="closed_unfounded", reason="nadie")
    assert p1 not in alert_queue(actor=officer, filters=QueueFilters())
    assert list(alert_queue(actor=officer, filters=QueueFilters(status="closed_unfounded"))) == [p1]


@pytest.mark.parametrize("count", [3, 30])
def test_queue_page_query_count_is_constant(
    client: Client, login: Any, django_assert_num_queries: Any, count: int
) -> None:
    user = login("eri_responder_north")
    for index in range(count):
        alert = make_alert(municipality="0501")
        if index % 2:
            triage.alert_take(actor=user, alert=alert)
            triage.alert_assign(actor=user, alert=alert, institution=Institution.objects.get(code="senaf"))
    # session, user, memberships (grants, cached for the navigation too), departments, count, page rows
    # with every relation joined, the page's persons (age groups), the signal catalogue (labels);
    # then the session's idle-timeout save (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client.get("/alerts/?department=05")
    assert response.status_code == 200
    assert len(response.context["items"]) == min(count, 25)


def test_queue_shows_due_times_and_overdue(client: Client, login: Any) -> None:
    login("duty_officer")
    alert = make_alert()
    Alert.objects.filter(pk=alert.pk).update(acknowledge_due_at=alert.received_at.replace(year=2020))
    page = client.get("/alerts/").content.decode()
    assert alert.reference in page and "overdue" in page and 'class="badge priority-P1"' in page


def test_lock_blocks_others_until_released(personas: Any) -> None:
    alert = make_alert()
    eri, officer = personas["eri_responder"], personas["duty_officer"]
    triage.alert_take(actor=eri, alert=alert)
    alert.refresh_from_db()
    assert alert.locked_by == eri and alert.status == "acknowledged" and alert.acknowledged_at
    with pytest.raises(triage.TriageError):
        triage.alert_take(actor=officer, alert=alert)
    with pytest.raises(triage.TriageError):
        triage.alert_close(actor=officer, alert=alert, status="closed_unfounded", reason="x")
    triage.alert_release(actor=eri, alert=alert)
    triage.alert_take(actor=officer, alert=alert)
    alert.refresh_from_db()
    assert alert.locked_by == officer
    kinds = list(AlertEvent.objects.filter(alert=alert).values_list("kind", flat=True))
    assert kinds[:2] == ["received", "taken"] and "released" in kinds


def test_assign_only_to_responders_who_reach_the_alert(personas: Any) -> None:
    alert = make_alert(municipality="0801")
    with pytest.raises(triage.TriageError):
        triage.alert_assign(actor=personas["duty_officer"], alert=alert, responder=personas["eri_responder_north"])
    triage.alert_assign(actor=personas["duty_officer"], alert=alert, responder=personas["eri_responder"])
    alert.refresh_from_db()
    assert alert.assigned_to == personas["eri_responder"]
    assert personas["eri_responder"].notifications.filter(kind="alert.assigned").count() == 1


def test_outcome_refer_and_tracking_status(client: Client, personas: Any, api_client: Any) -> None:
    submitted = intake.alert_submit(
        actor=None, data=intake.clean_submission({"narrative": "Trabajo sin pago", "signals": ["S10"]}), channel="api"
    )
    alert = submitted.alert
    track = f"/api/v1/alerts/track/{submitted.tracking_code}/"
    assert api_client.get(track).json()["status"] == "received"
    triage.alert_add_verification_note(actor=personas["duty_officer"], alert=alert, note="Llamé al denunciante")
    assert api_client.get(track).json()["status"] == "in_review"
    stss = Institution.objects.get(code="stss")
    triage.alert_refer(actor=personas["duty_officer"], alert=alert, institution=stss, reason="labour_violation")
    alert.refresh_from_db()
    assert (alert.status, alert.referred_to, alert.is_open) == ("referred_elsewhere", stss, False)
    assert alert.first_response_at is not None
    assert api_client.get(track).json()["status"] == "attended"
    with pytest.raises(triage.TriageError):
        triage.alert_close(actor=personas["duty_officer"], alert=alert, status="closed_unfounded", reason="x")


def test_outcome_open_case_registers_the_persons(personas: Any) -> None:
    alert = make_alert(persons=[{"age": 15, "sex": "female"}, {"age": None, "age_group": "unknown"}])
    with pytest.raises(triage.TriageError):  # the duty officer cannot open cases
        triage.alert_open_case(actor=personas["duty_officer"], alert=alert)
    case = triage.alert_open_case(actor=personas["eri_responder"], alert=alert)
    alert.refresh_from_db()
    assert alert.status == "case_opened" and alert.case == case
    assert Case.objects.get(pk=case.pk).persons.count() == 2
    persons = list(alert.persons.select_related("person"))
    assert persons[0].person.age_years == 15 and persons[1].person.presumed_child


def test_outcome_merge_follows_the_kept_alert(personas: Any, api_client: Any) -> None:
    kept = make_alert(signals=["S11"], persons=[], happening_now=False)
    duplicate = intake.alert_submit(
        actor=None,
        data=intake.clean_submission({"narrative": "x", "signals": ["S06"], "happening_now": True}),
        channel="api",
    )
    officer = personas["duty_officer"]
    triage.alert_merge(actor=officer, alert=duplicate.alert, into=kept)
    kept.refresh_from_db()
    assert kept.priority == "P1"  # the kept alert takes the higher priority of the pair
    with pytest.raises(triage.TriageError):
        triage.alert_merge(actor=officer, alert=kept, into=duplicate.alert)
    triage.alert_close(actor=officer, alert=kept, status="closed_insufficient_information", reason="sin datos")
    assert api_client.get(f"/api/v1/alerts/track/{duplicate.tracking_code}/").json()["status"] == "closed"


def test_duplicates_are_suggested_from_tokens_signals_and_persons(personas: Any) -> None:
    narrative = "Niña de quince años encerrada en el bar La Estrella del barrio Guamilito"
    first = make_alert(narrative=narrative, municipality="0501")
    second = make_alert(narrative="Encerrada en el bar La Estrella, barrio Guamilito, una niña", municipality="0501")
    make_alert(narrative="Hombres sin pago en una finca de café", municipality="0501", signals=["S10"], persons=[])
    make_alert(narrative=narrative, municipality="0801")  # same text, other municipality
    suggestions = suggested_duplicates(actor=personas["duty_officer"], alert=first)
    assert [s.alert for s in suggestions] == [second]
    assert suggested_duplicates(actor=personas["eri_responder_north"], alert=first)[0].alert == second


def test_page_actions_and_audited_narrative(client: Client, login: Any, personas: Any) -> None:
    alert = make_alert()
    login("eri_responder")
    page = client.get(f"/alerts/{alert.reference}/")
    assert "Una adolescente" in page.content.decode()
    assert AuditEvent.objects.filter(action="read", object_reference=alert.reference).exists()
    assert client.post(reverse("alerts:take", args=[alert.reference])).status_code == 302
    client.post(reverse("alerts:note", args=[alert.reference]), {"note": "Visita al lugar"})
    client.post(
        reverse("alerts:close", args=[alert.reference]), {"status": "closed_unfounded", "reason": "Lugar vacío"}
    )
    alert.refresh_from_db()
    assert alert.status == "closed_unfounded" and alert.outcome_note == "Lugar vacío"
    assert alert.locked_by is None


def test_narrative_hidden_from_those_who_cannot_triage(client: Client, login: Any, personas: Any) -> None:
    alert = make_alert(actor=personas["community_reporter"])
    triage.alert_assign(actor=personas["duty_officer"], alert=alert, institution=Institution.objects.get(code="sesal"))
    other = make_alert(actor=personas["hotline_operator"])
    login("hotline_operator")
    assert "Una adolescente" in client.get(f"/alerts/{other.reference}/").content.decode()
    assert client.get(f"/alerts/{alert.reference}/").status_code == 404
