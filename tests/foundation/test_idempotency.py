from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ruta.core.idempotency import run_idempotent
from ruta.core.models import IdempotencyRecord
from ruta.core.references import next_reference, reserve_references

pytestmark = pytest.mark.django_db


def test_same_key_replays_the_first_answer_and_runs_once() -> None:
    calls: list[int] = []

    def work() -> tuple[int, dict[str, Any]]:
        calls.append(1)
        return 201, {"n": len(calls)}

    first = run_idempotent(scope="t", key="k1", payload={"a": 1}, work=work)
    second = run_idempotent(scope="t", key="k1", payload={"a": 1}, work=work)
    assert first.body == second.body == {"n": 1}
    assert (first.replayed, second.replayed) == (False, True)
    assert len(calls) == 1
    assert IdempotencyRecord.objects.count() == 1


def test_keys_are_scoped_and_absent_keys_always_run() -> None:
    run_idempotent(scope="a", key="k", payload={}, work=lambda: (201, {"s": "a"}))
    other = run_idempotent(scope="b", key="k", payload={}, work=lambda: (201, {"s": "b"}))
    assert other.body == {"s": "b"}
    bodies = [run_idempotent(scope="a", key=None, payload={}, work=lambda: (201, {})).replayed for _ in range(2)]
    assert bodies == [False, False]


def test_failed_work_stores_nothing_so_a_retry_runs_again() -> None:
    def failing() -> tuple[int, dict[str, Any]]:
        raise ValueError("boom")

    with pytest.raises(ValueError):
        run_idempotent(scope="t", key="k2", payload={}, work=failing)
    assert not IdempotencyRecord.objects.filter(key="k2").exists()
    assert run_idempotent(scope="t", key="k2", payload={}, work=lambda: (201, {"ok": True})).body == {"ok": True}


def test_references_are_sequential_per_prefix_and_year() -> None:
    first = next_reference("V")
    number = int(first[-6:])
    assert first.startswith(f"V-{timezone.localdate().year}-")
    assert next_reference("V") == f"V-{timezone.localdate().year}-{number + 1:06d}"
    block = reserve_references("V", 3)
    assert [int(ref[-6:]) for ref in block] == [number + 2, number + 3, number + 4]
    other = next_reference("Q")
    assert other.startswith("Q-") and other != first


@pytest.mark.django_db(transaction=True)
def test_a_reference_taken_in_an_open_transaction_does_not_block_another() -> None:
    """Intake must not serialise on the counter: a second submission gets its number at once."""
    import threading

    from django.db import connection, transaction

    results: dict[str, str] = {}
    first_taken = threading.Event()
    release = threading.Event()

    def slow_submission() -> None:
        with transaction.atomic():
            results["slow"] = next_reference("Z")
            first_taken.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=slow_submission)
    thread.start()
    assert first_taken.wait(10)
    if connection.vendor == "postgresql":
        results["fast"] = next_reference("Z")  # would wait for the slow transaction with a row lock
    release.set()
    thread.join(10)
    if connection.vendor != "postgresql":
        results["fast"] = next_reference("Z")
    assert results["slow"] != results["fast"]
    assert abs(int(results["slow"][-6:]) - int(results["fast"][-6:])) == 1


@pytest.mark.django_db(transaction=True)
def test_blocks_are_contiguous_and_never_overlap() -> None:
    from ruta.core.references import reserve_reference_block

    _, first = reserve_reference_block("Y", 50)
    _, second = reserve_reference_block("Y", 1)
    _, third = reserve_reference_block("Y", 10)
    assert (second, third) == (first + 50, first + 51)


@pytest.mark.django_db(transaction=True)
def test_a_full_wipe_starts_references_again() -> None:
    from django.core.management import call_command

    next_reference("W")
    next_reference("W")
    call_command("flush", interactive=False, verbosity=0)
    assert next_reference("W").endswith("000001")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_single_numbers_taken_while_a_block_is_reserved_never_fall_inside_it() -> None:
    """Bulk loads reserve contiguous blocks while submissions take single numbers concurrently."""
    import threading

    from django.db import connection, transaction

    from ruta.core.references import reserve_reference_block

    next_reference("W")  # the sequence exists before the race starts
    singles: list[int] = []
    blocks: list[tuple[int, int]] = []

    def submissions() -> None:
        for _ in range(40):
            with transaction.atomic():
                singles.append(int(next_reference("W")[-6:]))
        connection.close()

    def bulk_load() -> None:
        for _ in range(5):
            _, first = reserve_reference_block("W", 25)
            blocks.append((first, first + 24))
        connection.close()

    threads = [threading.Thread(target=submissions), threading.Thread(target=bulk_load)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(singles) == 40 and len(blocks) == 5
    assert not [n for n in singles for first, last in blocks if first <= n <= last]
    assert len(set(singles)) == 40


def test_an_always_runnable_retry_is_rolled_back_and_replays_the_first_answer() -> None:
    from ruta.core.models import ReferenceSequence

    def work() -> tuple[int, dict[str, Any]]:
        ReferenceSequence.objects.create(prefix="IDEM", year=2000 + ReferenceSequence.objects.count())
        return 201, {"rows": ReferenceSequence.objects.filter(prefix="IDEM").count()}

    first = run_idempotent(scope="t", key="always", payload={}, work=work, always_runnable=True)
    second = run_idempotent(scope="t", key="always", payload={}, work=work, always_runnable=True)
    assert first.body == second.body == {"rows": 1}
    assert (first.replayed, second.replayed) == (False, True)
    assert ReferenceSequence.objects.filter(prefix="IDEM").count() == 1
