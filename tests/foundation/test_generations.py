"""Configuration kept in memory per process is reloaded exactly when its generation moves."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from ruta.core import generations
from ruta.core.generations import Generational
from ruta.core.models import ConfigurationGeneration


class Source:
    """Stands for a configuration table: what a reload would read, and how often it was read."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.loads = 0

    def load(self) -> str:
        self.loads += 1
        return self.value


@pytest.mark.django_db
def test_an_unchanged_generation_serves_the_memory_with_one_query(django_assert_num_queries: Any) -> None:
    source = Source("rules v1")
    cached = Generational(("test.unchanged",), source.load)
    assert cached.get() == "rules v1"
    source.value = "edited without a new generation"
    with django_assert_num_queries(1):
        assert cached.get() == "rules v1"
    assert source.loads == 1


@pytest.mark.django_db
def test_an_edit_in_this_transaction_is_seen_at_once() -> None:
    source = Source("v1")
    cached = Generational(("test.same-transaction",), source.load)
    assert cached.get() == "v1"
    source.value = "v2"
    generations.bump("test.same-transaction")
    assert cached.get() == "v2"


@pytest.mark.django_db
def test_a_rolled_back_edit_is_not_remembered() -> None:
    source = Source("committed")
    cached = Generational(("test.rollback",), source.load)
    assert cached.get() == "committed"
    with pytest.raises(RuntimeError), transaction.atomic():
        source.value = "never committed"
        generations.bump("test.rollback")
        assert cached.get() == "never committed"
        raise RuntimeError("the edit fails")
    source.value = "committed"
    assert cached.get() == "committed"


@pytest.mark.django_db
def test_any_of_several_generations_moving_reloads() -> None:
    source = Source("rules + geography")
    cached = Generational(("test.rules", "test.geography"), source.load)
    cached.get()
    generations.bump("test.geography")
    cached.get()
    assert source.loads == 2


@pytest.mark.django_db
def test_a_wiped_database_never_hands_out_a_remembered_generation() -> None:
    generations.bump("test.wipe")
    remembered = generations.current("test.wipe")
    ConfigurationGeneration.objects.all().delete()  # as flush does
    generations.bump("test.wipe")
    assert generations.current("test.wipe") != remembered


@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_by_another_process_is_seen() -> None:
    """Another connection stands for another worker process: its commit moves the generation."""
    source = Source("old")
    cached = Generational(("test.other-process",), source.load)
    assert cached.get() == "old"

    def other_worker() -> None:
        with transaction.atomic():
            source.value = "new"
            generations.bump("test.other-process")
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    thread.join(10)
    assert cached.get() == "new"


@pytest.mark.django_db
def test_migrate_and_flush_move_every_registered_generation() -> None:
    """Data migrations write catalogues without model signals, so post_migrate moves them all."""
    from django.core.management.sql import emit_post_migrate_signal

    Generational(("test.registered",), lambda: None)
    before = generations.current("test.registered")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert generations.current("test.registered") != before
