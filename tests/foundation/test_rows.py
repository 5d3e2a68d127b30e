"""ruta.core.rows: plain inserts store exactly what the ORM would, on every database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from ruta.accounts.models import Membership
from ruta.alerts.models import Alert, AlertEvent, AlertPerson, AlertToken
from ruta.audit.models import AuditEvent
from ruta.core import rows
from ruta.core.models import IdempotencyRecord
from ruta.institutions.models import Institution
from ruta.persons.models import Person, PersonIdentity

pytestmark = pytest.mark.django_db

# Every model the application writes through ``rows.insert``: nothing may listen to their saves.
INSERTED_PLAINLY = [Alert, AlertPerson, AlertToken, AlertEvent, AuditEvent, IdempotencyRecord]


def _stored(obj: Any) -> dict[str, Any]:
    values = type(obj).objects.filter(pk=obj.pk).values().get()
    del values["id"]
    return values


def test_a_plain_insert_stores_what_the_orm_stores() -> None:
    values = {
        "action": "read",
        "object_type": "persons.person",
        "object_id": "7",
        "summary": "opened",
        "changes": {"field": ["old", "new"]},
        "ip_address": "10.0.0.1",
    }
    by_orm = AuditEvent.objects.create(**values)
    plain = rows.new(AuditEvent, **values)
    rows.insert([plain])
    assert plain.pk is not None and plain.pk != by_orm.pk and not plain._state.adding
    stored, expected = _stored(plain), _stored(by_orm)
    assert abs((stored.pop("at") - expected.pop("at")).total_seconds()) < 5  # auto_now_add is set
    assert stored == expected


def test_encrypted_fields_are_encrypted_by_their_own_field(reference_data: Any) -> None:
    person = Person.objects.create(reference="V-2026-990001", owner_institution=Institution.objects.first())
    identity = rows.new(PersonIdentity, person_id=person.pk, given_names="Dilcia", family_names="Pérez Flores")
    rows.insert([identity])
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names FROM persons_personidentity WHERE person_id = %s", [person.pk])
        raw = cursor.fetchone()[0]
    assert "Dilcia" not in raw and raw.startswith("v1:")
    assert PersonIdentity.objects.get(pk=identity.pk).given_names == "Dilcia"


def test_several_rows_get_their_ids_in_order_and_defaults() -> None:
    events = [rows.new(AuditEvent, action="read", object_type="t", object_id=str(n)) for n in range(3)]
    rows.insert(events)
    stored = {e.object_id: e for e in AuditEvent.objects.filter(object_type="t")}
    assert [stored[e.object_id].pk for e in events] == [e.pk for e in events]
    assert all(stored[e.object_id].changes == {} and stored[e.object_id].summary == "" for e in events)  # defaults


def _record(scope: str, key: str) -> IdempotencyRecord:
    return rows.new(IdempotencyRecord, scope=scope, key=key, response_status=201, response_body={"ok": True})


def test_a_refused_row_is_an_integrity_error_in_the_callers_transaction() -> None:
    rows.insert([_record("s", "twice")])
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert([_record("s", "twice")])
    assert IdempotencyRecord.objects.filter(key="twice").count() == 1


def test_without_returning_rows_the_orm_inserts_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    records = [_record("old", f"k{n}") for n in range(2)]
    rows.insert(records)
    stored = dict(IdempotencyRecord.objects.filter(scope="old").values_list("key", "id"))
    assert stored == {"k0": records[0].pk, "k1": records[1].pk}


@pytest.mark.parametrize("model", INSERTED_PLAINLY, ids=lambda model: model.__name__)
def test_models_written_plainly_have_no_save_listeners(model: Any) -> None:
    assert rows.insertable(model)


def test_a_model_with_save_listeners_is_not_insertable() -> None:
    assert not rows.insertable(Membership)  # its saves move the access-policy generation


def test_rows_of_several_models_are_inserted_together() -> None:
    """One statement on PostgreSQL (data-modifying WITH clauses), one per model elsewhere: the same
    rows either way, and a failing batch leaves none of them."""
    events = [rows.new(AuditEvent, action="read", object_type="together", object_id=str(n)) for n in range(2)]
    record = _record("together", "one")
    rows.insert_together(events, [], [record])
    assert sorted(AuditEvent.objects.filter(object_type="together").values_list("object_id", flat=True)) == ["0", "1"]
    assert IdempotencyRecord.objects.get(scope="together").response_body == {"ok": True}
    again = [rows.new(AuditEvent, action="read", object_type="together", object_id="2")]
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert_together(again, [_record("together", "one")])  # the key is taken
    assert AuditEvent.objects.filter(object_type="together").count() == 2
