"""Idempotency keys: a retried submission returns the first answer and creates nothing new.

The record is written in the same transaction as the work it guards; if two copies of a request
race, the unique constraint lets exactly one commit and the other replays the stored answer."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from ruta.core import rows
from ruta.core.models import IdempotencyRecord

MAX_KEY_LENGTH = 128


@dataclass(frozen=True)
class IdempotentResult:
    status: int
    body: dict[str, Any]
    replayed: bool


def fingerprint(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_idempotent(
    *,
    scope: str,
    key: str | None,
    payload: Any,
    work: Callable[[], tuple[int, dict[str, Any]]],
    always_runnable: bool = False,
) -> IdempotentResult:
    """Run ``work`` once per (scope, key); ``work`` returns (status, body) and must be atomic-safe.

    ``always_runnable``: ``work`` cannot fail because it ran before (it only creates, and has no
    effect outside its transaction), so the stored answer is not looked up first: a retry's work is
    rolled back when the unique key refuses it. That saves the first submission one query."""
    if not key:
        with transaction.atomic():
            status, body = work()
        return IdempotentResult(status, body, replayed=False)
    request_fingerprint = fingerprint(payload)
    if not always_runnable:
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is not None:
            return _replay(existing)
    try:
        with transaction.atomic():
            status, body = work()
            rows.insert(
                [
                    rows.new(
                        IdempotencyRecord,
                        scope=scope,
                        key=key,
                        request_fingerprint=request_fingerprint,
                        response_status=status,
                        response_body=body,
                    )
                ]
            )
    except IntegrityError:
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is None:
            raise
        return _replay(existing)
    return IdempotentResult(status, body, replayed=False)


def _replay(record: IdempotencyRecord) -> IdempotentResult:
    # The key alone decides: a client that retries after a timeout may have re-serialised its body
    # differently, and a second alert would be worse than replaying the first answer. The stored
    # fingerprint stays for investigation.
    return IdempotentResult(record.response_status, record.response_body, replayed=True)
