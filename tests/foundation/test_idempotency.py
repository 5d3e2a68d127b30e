from __future__ import annotations

from typing import Any

import pytest

from ruta.core.idempotency import run_idempotent
from ruta.core.models import IdempotencyRecord, ReferenceSequence
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
    second = next_reference("V")
    block = reserve_references("V", 3)
    assert first.startswith("V-") and first.endswith("000001")
    assert second.endswith("000002")
    assert [ref[-6:] for ref in block] == ["000003", "000004", "000005"]
    assert next_reference("C").endswith("000001")
    assert ReferenceSequence.objects.get(prefix="V").last_value == 5
