"""Retention rules in the database, the dry-run report, and the unusual-access warning."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from ruta.alerts.models import Alert
from ruta.audit.models import AuditAction, AuditEvent
from ruta.audit.services import audit_record
from ruta.cases.models import Case
from ruta.jobs.services import discover, periodic_tasks
from ruta.notifications.models import Notification
from ruta.persons.models import PersonIdentity
from ruta.security.models import RetentionRule
from ruta.security.retention import retention_run
from ruta.security.retention_policies import retention_policies
from ruta.security.unusual import unusual_access_scan
from tests.security.factories import case_for


def _alert_with_contact(contact: str) -> Alert:
    response = APIClient().post(
        "/api/v1/alerts/",
        {"narrative": "algo pasa", "municipality": "0801", "reporter_contact": contact},
        format="json",
    )
    return Alert.objects.get(reference=response.json()["reference"])


def test_rules_are_seeded_and_the_tasks_are_scheduled(db: Any) -> None:
    registered = {policy.code for policy in retention_policies()}
    assert set(RetentionRule.objects.values_list("policy", flat=True)) == registered
    discover()  # what the worker does at start
    assert {"security.retention", "security.unusual_access"} <= {task.name for task in periodic_tasks()}


def test_reporter_contact_of_old_closed_alerts_is_erased_and_dry_run_changes_nothing(
    personas: dict[str, Any], capsys: Any
) -> None:
    old = _alert_with_contact("+504 1111-2222")
    recent = _alert_with_contact("+504 3333-4444")
    still_open = _alert_with_contact("+504 5555-6666")
    long_ago = timezone.now() - timedelta(days=400)
    Alert.objects.filter(pk=old.pk).update(is_open=False, closed_at=long_ago)
    Alert.objects.filter(pk=recent.pk).update(is_open=False, closed_at=timezone.now())
    Alert.objects.filter(pk=still_open.pk).update(received_at=long_ago)

    call_command("retention", "--dry-run")
    assert "alerts.reporter_contact: keep 180 days" in capsys.readouterr().out
    assert Alert.objects.get(pk=old.pk).reporter_contact == "+504 1111-2222"
    dry = {result.policy: result.count for result in retention_run(dry_run=True)}
    assert dry["alerts.reporter_contact"] == 1

    retention_run(dry_run=False)
    assert Alert.objects.get(pk=old.pk).reporter_contact == ""
    assert Alert.objects.get(pk=recent.pk).reporter_contact == "+504 3333-4444"
    assert Alert.objects.get(pk=still_open.pk).reporter_contact == "+504 5555-6666"
    assert AuditEvent.objects.filter(object_type="security.retention", object_id="alerts.reporter_contact").exists()
    assert RetentionRule.objects.get(policy="alerts.reporter_contact").last_run_count == 1


def test_inactive_rule_and_changed_period_are_honoured(personas: dict[str, Any]) -> None:
    old = _alert_with_contact("+504 1111-2222")
    Alert.objects.filter(pk=old.pk).update(is_open=False, closed_at=timezone.now() - timedelta(days=20))
    RetentionRule.objects.filter(policy="alerts.reporter_contact").update(is_active=False)
    retention_run(dry_run=False)
    assert Alert.objects.get(pk=old.pk).reporter_contact
    RetentionRule.objects.filter(policy="alerts.reporter_contact").update(is_active=True, keep_days=10)
    retention_run(dry_run=False)
    assert Alert.objects.get(pk=old.pk).reporter_contact == ""


def test_old_closed_cases_are_anonymised_but_persons_in_open_cases_are_kept(personas: dict[str, Any]) -> None:
    closed = case_for("caseworker", personas, "sesal", given="Marisol")
    kept = case_for("caseworker", personas, "sesal", given="Dunia")
    Case.objects.filter(pk=closed.pk).update(closed_at=timezone.now() - timedelta(days=3651))
    retention_run(dry_run=False)
    closed.refresh_from_db()
    assert closed.narrative == ""
    assert not PersonIdentity.objects.filter(person__in=closed.persons.all()).exists()
    assert PersonIdentity.objects.filter(person__in=kept.persons.all()).exists()
    assert Case.objects.get(pk=kept.pk).narrative
    # Idempotent: nothing left to do.
    assert {r.policy: r.count for r in retention_run(dry_run=True)}["cases.closed_anonymise"] == 0


def test_unusual_access_warns_administrators_once_per_window(personas: dict[str, Any], settings: Any) -> None:
    settings.RUTA_UNUSUAL_ACCESS_READS = 5
    reader = personas["caseworker"]
    for record in range(6):
        audit_record(actor=reader, action=AuditAction.READ, object_type="persons.person", object_id=str(record))
    for record in range(5):
        audit_record(
            actor=personas["eri_responder"], action=AuditAction.READ, object_type="cases.case", object_id=str(record)
        )
    flagged = unusual_access_scan()
    assert flagged == [(reader.pk, 6)]
    unusual_access_scan()
    warnings = Notification.objects.filter(kind="security.unusual_access")
    assert list(warnings.values_list("recipient__username", flat=True)) == ["admin"]
