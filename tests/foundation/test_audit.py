from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from ruta.audit.models import AuditAction, AuditEvent, AuditImmutableError
from ruta.audit.services import audit_read, audit_record
from ruta.institutions.models import Institution


@pytest.fixture
def event(personas: dict[str, Any]) -> AuditEvent:
    return audit_record(
        actor=personas["caseworker"],
        action=AuditAction.READ,
        object_type="persons.person",
        object_id="1",
        reference="V-2026-000001",
    )


def test_events_cannot_be_changed_through_the_application(event: AuditEvent) -> None:
    event.summary = "rewritten"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.summary == ""


def test_the_database_refuses_update_and_delete(event: AuditEvent) -> None:
    table = AuditEvent._meta.db_table
    for statement in (f"UPDATE {table} SET summary = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, summary="").exists()


def test_read_of_a_sensitive_object_is_logged(personas: dict[str, Any]) -> None:
    institution = Institution.objects.get(code="eri")
    audit_read(actor=personas["supervisor"], obj=institution, reason="review")
    row = AuditEvent.objects.get(action=AuditAction.READ, object_type="institutions.institution")
    assert row.actor == personas["supervisor"]
    assert row.object_id == str(institution.pk)
    assert row.reason == "review"


def test_login_is_audited(client: Client, personas: dict[str, Any]) -> None:
    user = personas["analyst"]
    user.set_password("A-long-enough-password-1")
    user.save()
    client.post("/accounts/login/", {"username": user.username, "password": "A-long-enough-password-1"})
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.LOGIN).count() == 1


def test_supervisors_see_their_institutions_events_only(client: Client, personas: dict[str, Any]) -> None:
    audit_record(actor=personas["eri_responder"], action=AuditAction.UPDATE, object_type="x", summary="eri-event")
    audit_record(actor=personas["caseworker"], action=AuditAction.UPDATE, object_type="x", summary="health-event")
    client.force_login(personas["supervisor"])  # ERI supervisor
    page = client.get("/audit/").content.decode()
    assert "eri-event" in page and "health-event" not in page
    client.force_login(personas["supervisor_health"])
    page = client.get("/audit/").content.decode()
    assert "health-event" in page and "eri-event" not in page
    client.force_login(personas["administrator"])
    page = client.get("/audit/").content.decode()
    assert "health-event" in page and "eri-event" in page


def test_audit_filters_validate_dates(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["administrator"])
    response = client.get("/audit/", {"since": "2026-05-01", "until": "2026-04-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["until"]


def test_audit_list_query_count_does_not_grow(
    client: Client, personas: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for index in range(30):
        audit_record(actor=personas["eri_responder"], action=AuditAction.READ, object_type="x", object_id=index)
    client.force_login(personas["administrator"])
    with django_assert_max_num_queries(12):
        assert client.get("/audit/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_flush_wipes_the_trail_and_restores_the_triggers(personas: dict[str, Any]) -> None:
    from django.core.management import call_command

    before = audit_record(actor=None, action=AuditAction.CONFIG, object_type="x")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.filter(pk=before.pk).exists()
    event = audit_record(actor=None, action=AuditAction.CONFIG, object_type="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [event.pk])
