"""Missed deadlines escalate exactly once per (alert, deadline): two workers, a crash, retries."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from ruta.alerts import escalation
from ruta.alerts.models import Alert, AlertEvent
from ruta.alerts.triage import alert_acknowledge
from ruta.deadlines import services as deadlines
from ruta.deadlines.models import Escalation
from ruta.institutions.models import Institution
from ruta.jobs.models import PeriodicRun
from ruta.jobs.services import discover, work_once
from ruta.notifications.models import Notification
from tests.alerts.conftest import make_alert


def _overdue(alert: Alert, hours: int = 2) -> None:
    past = timezone.now() - timedelta(hours=hours)
    Alert.objects.filter(pk=alert.pk).update(acknowledge_due_at=past)


UNASSIGNED_RECIPIENTS = ["oficial", "supervisora"]


def _acknowledge_notices(alert: Alert) -> list[tuple[str, str]]:
    return [(username, f"escalation:alerts.alert:{alert.pk}:acknowledge") for username in UNASSIGNED_RECIPIENTS]


def _escalation_notifications(alert: Alert) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(
            kind="alert.escalation", dedupe_key__startswith=f"escalation:alerts.alert:{alert.pk}:"
        ).values_list("recipient__username", "dedupe_key")
    )


def test_recipients_are_duty_officers_and_the_institutions_supervisors(personas: Any) -> None:
    """An unassigned alert: the duty officer and the ERI supervisor (the ERI answers every alert of
    its territory, here the whole country); once assigned, the institution's supervisors too."""
    alert = make_alert()
    assert (
        sorted(u.get_username() for u in deadlines.escalation_recipients(escalation.ACKNOWLEDGE, alert))
        == UNASSIGNED_RECIPIENTS
    )
    from ruta.alerts.triage import alert_assign

    alert_assign(actor=personas["duty_officer"], alert=alert, institution=Institution.objects.get(code="sesal"))
    assert sorted(u.get_username() for u in deadlines.escalation_recipients(escalation.ACKNOWLEDGE, alert)) == [
        "oficial",
        "supervisor.salud",
        "supervisora",
    ]


def test_a_missed_deadline_escalates_once(personas: Any) -> None:
    alert = make_alert()
    _overdue(alert)
    assert deadlines.escalate_missed_deadlines() == 1
    assert deadlines.escalate_missed_deadlines() == 0
    assert Escalation.objects.filter(alert=alert).count() == 1
    assert _escalation_notifications(alert) == _acknowledge_notices(alert)
    notification = Notification.objects.filter(kind="alert.escalation").first()
    assert notification is not None
    assert alert.reference in notification.subject and "adolescente" not in notification.body  # no narrative
    assert AlertEvent.objects.filter(alert=alert, kind="escalated").count() == 1


def test_acknowledged_or_closed_alerts_do_not_escalate(personas: Any) -> None:
    alert = make_alert()
    alert_acknowledge(actor=personas["duty_officer"], alert=alert)
    _overdue(alert)
    assert deadlines.escalate_missed_deadlines() == 0
    # The first-response clock is separate: it escalates when it runs out.
    Alert.objects.filter(pk=alert.pk).update(first_response_due_at=timezone.now() - timedelta(minutes=1))
    assert deadlines.escalate_missed_deadlines() == 1
    assert list(Escalation.objects.values_list("deadline", flat=True)) == ["first_response"]


def test_a_crash_mid_escalation_commits_nothing_and_the_retry_escalates_once(personas: Any, monkeypatch: Any) -> None:
    alert = make_alert()
    _overdue(alert)
    real_notify = deadlines.notify
    calls = {"n": 0}

    def crashing_notify(**kwargs: Any) -> Any:
        calls["n"] += 1
        created = real_notify(**kwargs)
        if calls["n"] == 1:
            raise RuntimeError("worker killed after notifying")
        return created

    monkeypatch.setattr(deadlines, "notify", crashing_notify)
    assert deadlines.escalate_missed_deadlines() == 0
    alert.refresh_from_db()
    assert alert.acknowledge_escalated_at is None and not Escalation.objects.exists()
    assert not Notification.objects.filter(kind="alert.escalation").exists()
    assert deadlines.escalate_missed_deadlines() == 1
    assert deadlines.escalate_missed_deadlines() == 0
    assert Escalation.objects.count() == 1 and _escalation_notifications(alert) == _acknowledge_notices(alert)


def _run_workers(target: Any, count: int = 2) -> list[Any]:
    results: list[Any] = []
    barrier = threading.Barrier(count)

    def run(name: str) -> None:
        try:
            barrier.wait()
            for _attempt in range(100):
                try:
                    results.append(target(name))
                    return
                except OperationalError:  # SQLite's shared in-memory test database is locked: retry
                    time.sleep(0.02)
        finally:
            connection.close()  # the thread's own; an open one keeps the test database from being dropped

    threads = [threading.Thread(target=run, args=(f"worker-{i}",)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_workers_escalate_each_deadline_once(transactional_db: None, personas: Any) -> None:
    discover()
    alerts = [make_alert() for _ in range(5)]
    for alert in alerts:
        _overdue(alert)
    # The periodic tick directly, raced by two workers...
    totals = _run_workers(lambda name: deadlines.escalate_missed_deadlines())
    assert sum(totals) == 5
    # ... and through the worker loop: another tick of each worker finds nothing new.
    PeriodicRun.objects.filter(name="deadlines.escalate_missed").update(next_run_at=timezone.now())
    _run_workers(lambda name: work_once(name))
    assert Escalation.objects.count() == 5
    for alert in alerts:
        assert _escalation_notifications(alert) == _acknowledge_notices(alert)
    # E-mails were queued once per notification and the worker sends them.
    assert Notification.objects.filter(kind="alert.escalation").count() == 5 * len(UNASSIGNED_RECIPIENTS)


@pytest.mark.parametrize("crash_on", [1, 3])
def test_worker_loop_retries_after_a_crash(
    transactional_db: None, personas: Any, monkeypatch: Any, crash_on: int
) -> None:
    discover()
    alerts = [make_alert() for _ in range(3)]
    for alert in alerts:
        _overdue(alert)
    real_notify = deadlines.notify
    calls = {"n": 0}

    def crashing_notify(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == crash_on:
            raise RuntimeError("killed")
        return real_notify(**kwargs)

    monkeypatch.setattr(deadlines, "notify", crashing_notify)
    PeriodicRun.objects.filter(name="deadlines.escalate_missed").delete()
    work_once("w1")
    assert Escalation.objects.count() == 2
    PeriodicRun.objects.filter(name="deadlines.escalate_missed").update(next_run_at=timezone.now())
    work_once("w2")
    assert Escalation.objects.count() == 3
    for alert in alerts:
        assert _escalation_notifications(alert) == _acknowledge_notices(alert)
