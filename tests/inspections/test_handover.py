"""Hand-over to the referral route: once per visit whatever the retries, the priority rules, the
liaisons told, and the child-protection steps when a child is found working."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.alerts.models import Alert
from ruta.inspections.handover import signals_for
from ruta.inspections.models import Handover, Visit, WorkerInterview
from ruta.notifications.models import Notification
from tests.inspections.factories import interview_record, planned_visit, sync, visit_record

pytestmark = pytest.mark.django_db
STRONG = ["THB-AL-DR-01", "THB-AL-CR-01", "THB-AL-EX-01"]


def _alerts() -> int:
    return Alert.objects.filter(channel="inspection").count()


def test_immediate_danger_is_p1_and_handed_over_once_under_retries(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    danger = interview_record(visit, immediate_danger=True, forced_labour_indicators=["FL08"], key="int-danger")
    sync(personas, danger)
    sync(personas, danger)  # the same key replayed
    sync(personas, dict(danger, idempotency_key="int-danger-2", base_version=1))  # unchanged under a new key
    sync(personas, visit_record(visit, immediate_danger=True, danger_note="Encerrados"))
    sync(personas, interview_record(visit, immediate_danger=True))  # a second worker in danger
    assert _alerts() == 1
    handover = Handover.objects.get(visit=visit)
    assert handover.alert.priority == "P1" and handover.immediate_danger
    assert handover.alert.happening_now and handover.alert.channel == "inspection"
    # S10 = wages withheld (FL08); the rule that decided is the inspection's immediate-danger rule.
    assert handover.alert.signal_codes == ["S10"]
    assert handover.alert.priority_rationale["rule"] == "inspection-immediate-danger"


def test_no_worker_identity_reaches_the_alert(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    sync(
        personas,
        interview_record(
            visit, immediate_danger=True, consent_to_identify=True, given_names="Yolany", family_names="Mejía Flores"
        ),
    )
    alert = Handover.objects.get(visit=visit).alert
    assert "Yolany" not in alert.narrative and "Mejía" not in alert.narrative
    assert WorkerInterview.objects.get(visit=visit).given_names == "Yolany"


def test_screened_trafficking_is_handed_over_by_the_rules(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    result = sync(
        personas, interview_record(visit, ilo_ec_indicators=STRONG, forced_labour_indicators=["FL02", "FL07"])
    )
    assert result[0]["status"] == "created"
    interview = WorkerInterview.objects.get(visit=visit)
    assert interview.screening is not None and interview.screening.rationale
    assert interview.screening_outcome in ("trafficking", "possible")
    handover = Handover.objects.get(visit=visit)
    # FL02 → S01 (recruitment), FL07 → S05 (control): two groups → P2 by the alerts' rules.
    assert handover.alert.signal_codes == ["S01", "S05"]
    assert handover.alert.priority == "P2"
    assert handover.interviews == [str(interview.uuid)]


def test_nothing_handed_over_without_screening_outcome_or_danger(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    sync(personas, interview_record(visit, forced_labour_indicators=["FL11"]), visit_record(visit))
    assert not Handover.objects.filter(visit=visit).exists()
    assert Visit.objects.get(pk=visit.pk).has_findings


def test_liaisons_of_the_territory_are_told(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    sync(personas, interview_record(visit, immediate_danger=True))
    told = set(Notification.objects.filter(kind="inspection_handover").values_list("recipient__username", flat=True))
    assert personas["legal_liaison"].username in told
    assert personas["eri_responder"].username not in told


def test_child_working_notifies_child_protection_once(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    child = interview_record(visit, age=14, age_group="child", job="Ayudante de cocina")
    sync(personas, child)
    sync(personas, interview_record(visit, age=15, age_group="child"))
    visit.refresh_from_db()
    assert visit.child_protection_notified_at is not None
    # No indicator, no danger: child protection is told, but nothing goes to the ERI.
    assert not Handover.objects.filter(visit=visit).exists()
    notices = Notification.objects.filter(kind="inspection_child_working")
    assert notices.count() == len({n.recipient_id for n in notices})


def test_child_in_hazardous_work_is_at_least_p2(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    child_trafficked = ["THB-CL-DR-01", "THB-CL-DR-10", "THB-CL-EX-01", "THB-CL-EX-02"]
    sync(
        personas,
        interview_record(visit, age=15, age_group="child", hazardous_work=True, ilo_ec_indicators=child_trafficked),
    )
    interview = WorkerInterview.objects.get(visit=visit)
    assert interview.screening_outcome == "trafficking" and interview.screening.child_rule
    alert = Handover.objects.get(visit=visit).alert
    assert alert.priority == "P2" and alert.child_involved
    assert alert.signal_codes == ["S11", "S14"]


def test_signals_for_children_and_hazards(personas: dict[str, Any]) -> None:
    visit = planned_visit(personas)
    child = WorkerInterview(visit=visit, age=13, hazardous_work=True, forced_labour_indicators=["FL01", "FL09"])
    assert signals_for([child]) == ["S04", "S11", "S14"]


def test_the_alert_page_says_why_in_words_not_a_code(personas: dict[str, Any], client: Any) -> None:
    visit = planned_visit(personas)
    sync(personas, interview_record(visit, immediate_danger=True, key="int-words"))
    alert = Handover.objects.get(visit=visit).alert
    client.force_login(personas["eri_responder"])
    page = client.get(f"/alerts/{alert.reference}/").content.decode()
    assert "A labour inspection found someone in immediate danger." in page
    assert "inspection-immediate-danger" not in page
