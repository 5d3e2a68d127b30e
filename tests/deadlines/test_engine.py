"""The deadline engine: a kind registered from a test escalates once, to exactly the holders of its
permission, never after its state was reached, once under two racing workers, and again after a
worker died half-way."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection
from django.utils import timezone

from ruta.alerts.models import Alert, AlertEvent
from ruta.alerts.triage import alert_acknowledge
from ruta.audit.models import AuditEvent
from ruta.deadlines import registry, services
from ruta.deadlines.models import Escalation
from ruta.deadlines.registry import DeadlineKind, deadline_kind, deadline_kinds, register_deadline
from ruta.institutions.models import Institution
from ruta.jobs.models import PeriodicRun
from ruta.jobs.services import discover, work_once
from ruta.notifications.models import Notification
from ruta.policy.access import holders
from tests.alerts.conftest import make_alert
from tests.deadlines.conftest import make_kind, record_timeline

# ALERT_TRIAGE reaching an unassigned alert in Tegucigalpa: the duty officer (national), the ERI
# responder and the ERI supervisor (territory, the whole country) — not the northern ERI responder
# (department 05), nor the health supervisor (institution: the alert is not assigned to it).
TRIAGE_HOLDERS = ["eri", "oficial", "supervisora"]


def _notified(alert: Alert, kind: DeadlineKind) -> list[str]:
    return sorted(
        Notification.objects.filter(
            kind=kind.notification_kind, dedupe_key=f"escalation:alerts.alert:{alert.pk}:{kind.code}"
        ).values_list("recipient__username", flat=True)
    )


def _timeline(alert: Alert, kind: DeadlineKind) -> list[int]:
    """The recipients' count of each escalation event on the alert's timeline for ``kind``."""
    events = AlertEvent.objects.filter(alert=alert, kind="escalated", new__deadline=kind.code)
    return [event.new["recipients"] for event in events]


def _audited(alert: Alert, kind: DeadlineKind) -> int:
    return AuditEvent.objects.filter(
        object_type="alerts.alert", object_id=str(alert.pk), summary__startswith=f"deadline missed: {kind.code} "
    ).count()


def test_the_apps_register_their_deadlines_from_their_plugins() -> None:
    assert {kind.key for kind in deadline_kinds()} >= {
        "alerts.alert.acknowledge",
        "alerts.alert.first_response",
        "referrals.referral.acceptance",
        "referrals.referral.completion",
    }


def test_a_key_registered_twice_is_refused(kind: DeadlineKind) -> None:
    register_deadline(kind)  # the same kind again (a module imported twice) is harmless
    with pytest.raises(ImproperlyConfigured):
        register_deadline(make_kind())


def test_a_missed_deadline_escalates_once(personas: Any, kind: DeadlineKind) -> None:
    alert = make_alert()
    assert services.escalate_missed_deadlines() == 1
    assert services.escalate_missed_deadlines() == 0
    escalation = Escalation.objects.get(alert=alert)
    assert (escalation.record, escalation.deadline, escalation.due_at) == (alert, kind.code, alert.received_at)
    assert escalation.recipients == len(TRIAGE_HOLDERS) and escalation.label == "Test follow-up"
    assert deadline_kind(Alert, kind.code) is kind
    assert _notified(alert, kind) == TRIAGE_HOLDERS
    notification = Notification.objects.filter(kind=kind.notification_kind).first()
    assert notification is not None
    assert notification.subject == f"Alert {alert.reference}: follow-up missed"
    assert notification.url == f"/alerts/{alert.reference}/"
    assert _timeline(alert, kind) == [len(TRIAGE_HOLDERS)]
    assert _audited(alert, kind) == 1


def test_recipients_are_exactly_the_holders_of_the_permission(personas: Any, kind: DeadlineKind) -> None:
    alert = make_alert()
    expected = sorted(user.get_username() for user in holders(kind.permission, alert))
    assert expected == TRIAGE_HOLDERS
    assert sorted(u.get_username() for u in services.escalation_recipients(kind, alert)) == expected
    # Limited to one institution's memberships: the commission's duty officer only.
    commission = Institution.objects.get(code="cicesct")
    narrowed = make_kind(recipients_institutions=lambda alert: [commission.pk])
    assert [u.get_username() for u in services.escalation_recipients(narrowed, alert)] == ["oficial"]


def test_no_escalation_once_the_state_is_reached(personas: Any, kind: DeadlineKind) -> None:
    done, racing = make_alert(), make_alert()
    alert_acknowledge(actor=personas["duty_officer"], alert=done)
    # ``racing`` was listed by a scan, then acknowledged before the worker claimed it.
    alert_acknowledge(actor=personas["duty_officer"], alert=racing)
    assert services.escalate(kind=kind, record_id=racing.pk) is False
    assert services.escalate_missed_deadlines() == 0
    assert not Escalation.objects.exists()
    assert _timeline(done, kind) == _timeline(racing, kind) == []
    assert not Notification.objects.filter(kind=kind.notification_kind).exists()


def test_a_second_worker_on_the_same_record_does_nothing(personas: Any, kind: DeadlineKind) -> None:
    alert = make_alert()
    # Both workers listed the alert before either committed: the unique row decides.
    assert services.escalate(kind=kind, record_id=alert.pk) is True
    assert services.escalate(kind=kind, record_id=alert.pk) is False
    assert Escalation.objects.filter(alert=alert).count() == 1
    assert _notified(alert, kind) == TRIAGE_HOLDERS and _audited(alert, kind) == 1
    assert _timeline(alert, kind) == [len(TRIAGE_HOLDERS)]


def test_a_worker_killed_half_way_commits_nothing_and_the_next_scan_escalates_once(
    personas: Any, kind: DeadlineKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    alert = make_alert()
    calls = {"n": 0}

    def dying_timeline(record: Alert, escalation: Escalation) -> None:
        record_timeline(record, escalation)
        calls["n"] += 1
        if calls["n"] == 1:
            raise SystemExit("worker killed after notifying and writing the timeline")

    dying = make_kind(on_escalated=dying_timeline)
    monkeypatch.setitem(registry._KINDS._entries, kind.key, dying)
    with pytest.raises(SystemExit):
        services.escalate(kind=dying, record_id=alert.pk)
    assert not Escalation.objects.exists()
    assert not Notification.objects.filter(kind=kind.notification_kind).exists()
    assert _timeline(alert, kind) == [] and _audited(alert, kind) == 0
    assert services.escalate_missed_deadlines() == 1
    assert services.escalate_missed_deadlines() == 0
    assert Escalation.objects.filter(alert=alert).count() == 1
    assert _notified(alert, kind) == TRIAGE_HOLDERS and _audited(alert, kind) == 1
    assert _timeline(alert, kind) == [len(TRIAGE_HOLDERS)]


def test_a_failing_record_does_not_stop_the_scan(
    personas: Any, kind: DeadlineKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = make_alert(), make_alert()
    real_notify = services.notify

    def notify_failing_for_first(**kwargs: Any) -> Any:
        if kwargs["url"].endswith(f"/{first.reference}/"):
            raise RuntimeError("mail queue unavailable")
        return real_notify(**kwargs)

    monkeypatch.setattr(services, "notify", notify_failing_for_first)
    assert services.escalate_missed_deadlines() == 1
    assert list(Escalation.objects.values_list("object_id", flat=True)) == [second.pk]
    monkeypatch.setattr(services, "notify", real_notify)
    assert services.escalate_missed_deadlines() == 1
    assert _notified(first, kind) == TRIAGE_HOLDERS


def _race(target: Any, count: int = 2) -> list[Any]:
    """Run ``target`` in ``count`` threads (each its own database connection) released together."""
    results: list[Any] = []
    barrier = threading.Barrier(count)

    def run() -> None:
        try:
            barrier.wait()
            for _attempt in range(100):
                try:
                    results.append(target())
                    return
                except OperationalError:  # SQLite's shared in-memory test database is locked: retry
                    time.sleep(0.02)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_concurrent_scans_escalate_each_record_once(
    transactional_db: None, personas: Any, kind: DeadlineKind
) -> None:
    alerts = [make_alert() for _ in range(4)]
    totals = _race(services.escalate_missed_deadlines)
    assert len(totals) == 2
    # A later tick finds what SQLite's locked test database made a racer skip, and nothing else.
    totals.append(services.escalate_missed_deadlines())
    assert sum(totals) == 4
    assert Escalation.objects.count() == 4
    for alert in alerts:
        assert _notified(alert, kind) == TRIAGE_HOLDERS and _audited(alert, kind) == 1
        assert _timeline(alert, kind) == [len(TRIAGE_HOLDERS)]


def test_the_periodic_task_scans_every_kind(personas: Any, kind: DeadlineKind) -> None:
    discover()
    alert = make_alert()
    Alert.objects.filter(pk=alert.pk).update(acknowledge_due_at=timezone.now() - timedelta(hours=1))
    PeriodicRun.objects.filter(name="deadlines.escalate_missed").delete()
    work_once("worker-1")
    work_once("worker-2")  # the tick is taken: nothing runs twice
    # The test kind and the alert's own acknowledge clock, each once.
    assert sorted(Escalation.objects.filter(alert=alert).values_list("deadline", flat=True)) == [
        "acknowledge",
        kind.code,
    ]
