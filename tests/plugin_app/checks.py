"""Run only with the module installed (``--ds=tests.plugin_app.settings``, see test_plugin_app.py):
everything its plugin.py declares appears where people and the platform look for it."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ruta.audit.models import AuditEvent
from ruta.core.indicators import indicator
from ruta.deadlines.models import Escalation
from ruta.deadlines.services import escalate_missed_deadlines
from ruta.notifications.models import Notification
from ruta.policy.roles import Scope, roles_with
from ruta.security.exports import export_run, exports_for
from ruta.security.models import RetentionRule
from ruta.security.retention import retention_run
from tests.plugin_app.models import OutreachVisit
from tests.plugin_app.permissions import OutreachPermission


def _visit(institution: Any, title: str, *, days_ago: int = 0, reported_days_ago: int | None = None) -> OutreachVisit:
    now = timezone.now()
    return OutreachVisit.objects.create(
        institution=institution,
        title=title,
        planned_for=now - timedelta(days=days_ago),
        reported_at=None if reported_days_ago is None else now - timedelta(days=reported_days_ago),
    )


def test_loaded_by_the_app_registry_and_the_plugin_autodiscovery() -> None:
    assert apps.get_app_config("plugin_app").name == "tests.plugin_app"
    assert "tests.plugin_app.plugin" in sys.modules


def test_permission_is_granted_to_the_roles_the_module_names(capsys: Any) -> None:
    assert set(roles_with(OutreachPermission.VIEW)) == {"supervisor", "eri_supervisor"}
    call_command("roles")
    assert "outreach.view" in capsys.readouterr().out


def test_menu_entry_and_page_for_holders_only(client: Client, personas: dict[str, Any]) -> None:
    url = reverse("plugin_app:visits")
    client.force_login(personas["supervisor"])
    assert f'href="{url}"' in client.get(reverse("core:home")).content.decode()
    assert client.get(url).status_code == 200
    client.force_login(personas["caseworker"])
    assert f'href="{url}"' not in client.get(reverse("core:home")).content.decode()
    assert client.get(url).status_code == 404


def test_api_route_answers_in_scope_and_is_in_the_schema(personas: dict[str, Any], reference_data: Any) -> None:
    _visit(reference_data["eri"], "Escuela de Comayagüela")
    _visit(reference_data["sesal"], "Centro de salud")
    api = APIClient()
    api.force_authenticate(personas["supervisor"])
    answer = api.get("/api/v1/outreach-visits/")
    assert answer.status_code == 200
    assert [row["title"] for row in answer.json()] == ["Escuela de Comayagüela"]
    api.force_authenticate(personas["caseworker"])
    assert api.get("/api/v1/outreach-visits/").status_code == 404
    api.force_authenticate(personas["administrator"])
    assert "/api/v1/outreach-visits/" in api.get("/api/schema/", {"format": "json"}).json()["paths"]


def test_export_is_offered_to_holders_and_runs_scoped(personas: dict[str, Any], reference_data: Any) -> None:
    _visit(reference_data["eri"], "Escuela de Comayagüela")
    _visit(reference_data["sesal"], "Centro de salud")
    assert "outreach_visits" in {kind.code for kind in exports_for(personas["supervisor"])}
    assert "outreach_visits" not in {kind.code for kind in exports_for(personas["caseworker"])}
    content, rows = export_run(actor=personas["supervisor"], code="outreach_visits", purpose="Quarterly report")
    assert rows == 1 and "Escuela de Comayagüela" in content and "Centro de salud" not in content


def test_retention_rule_is_created_and_the_run_treats_it(personas: dict[str, Any], reference_data: Any) -> None:
    rule = RetentionRule.objects.get(policy="plugin_app.reported_visits")
    assert (rule.keep_days, rule.is_active) == (365, True)
    old = _visit(reference_data["eri"], "Old", days_ago=500, reported_days_ago=400)
    recent = _visit(reference_data["eri"], "Recent", days_ago=20, reported_days_ago=10)
    unreported = _visit(reference_data["eri"], "Unreported", days_ago=500)
    assert {result.policy: result.count for result in retention_run(dry_run=True)}["plugin_app.reported_visits"] == 1
    retention_run(dry_run=False)
    assert set(OutreachVisit.objects.values_list("pk", flat=True)) == {recent.pk, unreported.pk}
    assert not OutreachVisit.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(object_type="security.retention", object_id="plugin_app.reported_visits").exists()


def test_missed_deadline_escalates_once_to_the_holders_it_reaches(
    personas: dict[str, Any], reference_data: Any
) -> None:
    overdue = _visit(reference_data["eri"], "Escuela de Comayagüela", days_ago=2)
    _visit(reference_data["eri"], "Reported", days_ago=2, reported_days_ago=1)
    _visit(reference_data["eri"], "Next week", days_ago=-7)
    assert escalate_missed_deadlines() >= 1
    escalations = Escalation.objects.for_model(OutreachVisit)
    assert list(escalations.values_list("object_id", "deadline")) == [(overdue.pk, "report")]
    notified = Notification.objects.filter(kind="plugin_app.report_missed")
    assert set(notified.values_list("recipient__username", flat=True)) == {personas["supervisor"].username}
    escalate_missed_deadlines()
    assert Escalation.objects.for_model(OutreachVisit).count() == 1


def test_indicator_counts_equal_raw_counts(reference_data: Any) -> None:
    for _ in range(3):
        _visit(reference_data["eri"], "ERI")
    _visit(reference_data["sesal"], "SESAL", days_ago=40)
    counts = indicator("outreach.visits_planned").count(by=("institution",))
    assert counts == {
        (code,): OutreachVisit.objects.filter(institution__code=code).count() for code in ("eri", "sesal")
    }


def test_exports_page_opens_to_a_holder_of_the_modules_export_only(
    client: Client, personas: dict[str, Any], reference_data: Any, monkeypatch: Any
) -> None:
    """The Exports entry and page follow the registered exports, not a fixed list of permissions."""
    from ruta.accounts.models import Membership
    from ruta.core.navigation import navigation_for
    from ruta.policy import access
    from tests.roles_helpers import role_with_grants

    trainer = personas["trainer"]  # holds no platform export permission
    assert "security:exports" not in {entry["item"].url_name for entry in navigation_for(trainer)}
    client.force_login(trainer)
    assert client.get(reverse("security:exports")).status_code == 404
    role_with_grants(monkeypatch, "outreach_monitor", {OutreachPermission.VIEW: Scope.INSTITUTION})
    Membership.objects.create(user=trainer, institution=reference_data["eri"], role="outreach_monitor")
    access.forget_grants(trainer)
    assert [kind.code for kind in exports_for(trainer)] == ["outreach_visits"]
    assert "security:exports" in {entry["item"].url_name for entry in navigation_for(trainer)}
    client.force_login(trainer)
    response = client.get(reverse("security:exports"))
    assert response.status_code == 200
    assert "outreach_visits" in response.content.decode()
