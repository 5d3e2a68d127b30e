"""Statistics read from the replica when one is configured: a second SQLite database stands in for
it, holding different rows than the primary, so where a read went shows in what it returns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connections

from ruta.alerts.models import Alert
from ruta.core.indicators import indicator
from ruta.geo.models import Department
from ruta.statistics.reach import Reach
from ruta.statistics.routers import REPLICA, statistics_reads
from ruta.statistics.tables import indicator_table
from tests.statistics.factories import noon

pytestmark = pytest.mark.django_db


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Any]:
    default = dict(connections.settings["default"])
    if default["ENGINE"] != "django.db.backends.sqlite3":
        default = {"ENGINE": "django.db.backends.sqlite3"}
    configured = connections.configure_settings(
        {"default": default, REPLICA: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "replica.db")}}
    )
    connections.settings[REPLICA] = configured[REPLICA]
    # Connected by hand: the test case only lets the aliases it knew at its start connect lazily.
    connections[REPLICA].connect()
    try:
        with connections[REPLICA].schema_editor() as editor:
            # The whole schema, as replication gives it (the rollups' tables included).
            for model in apps.get_models():
                if model._meta.managed and not model._meta.proxy:
                    editor.create_model(model)
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def test_statistics_reads_go_to_the_replica_and_nothing_else_does(replica: Any, reference_data: Any) -> None:
    primary_departments = Department.objects.count()
    assert primary_departments == 18
    department = Department.objects.using(REPLICA).create(code="01", name="Atlántida", iso_code="HN-AT")
    moment = noon(2026, 3, 12)
    Alert.objects.using(REPLICA).bulk_create(
        [
            Alert(
                reference=f"REP-{number}",
                tracking_hash=f"replica-{number}",
                channel="api",
                public_status_changed_at=moment,
                received_at=moment,
                department_id=department.pk,
                priority="P3",
                acknowledge_due_at=moment + timedelta(days=1),
                first_response_due_at=moment + timedelta(days=7),
            )
            for number in range(3)
        ]
    )
    assert Alert.objects.count() == 0  # the primary has none of them
    with statistics_reads():
        assert Department.objects.count() == 1
    assert Department.objects.count() == primary_departments
    table = indicator_table(
        indicator("alerts.received"), reach=Reach(exact=True), since=date(2026, 3, 1), until=date(2026, 3, 31)
    )
    assert table.total.value == 3


def test_without_a_replica_statistics_read_the_primary(reference_data: Any) -> None:
    assert REPLICA not in connections.settings
    with statistics_reads():
        assert Department.objects.count() == 18
