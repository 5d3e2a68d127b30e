"""One throttle for every limit in Ruta: public intake (per address, per device, per messaging
channel, tracking look-ups) and the log-in lockout (per account, per address).

A counter per key and time slot. With one slot per window it is a fixed window (one statement per
hit, for intake's hot path); with several it is a sliding window at slot granularity, so a lockout
lasts its full period whenever the limit was reached, not only until the next window boundary.

Counters live in Redis when ``REDIS_URL`` is set (a flood from one address then never queues on one
database row), in the database otherwise or when Redis does not answer. Counting happens outside the
caller's transaction, so a refused or failing attempt still counts. Only a keyed hash of the scope and
identifier is stored: never an address, a user name or a device id."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from ruta.core import crypto
from ruta.core.models import ThrottleCounter
from ruta.core.redis import client as redis_connection

logger = logging.getLogger(__name__)

PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, rate: str) -> Rate:
        """``"20/hour"`` → 20 per 3,600 seconds (DRF's notation, as the settings write it)."""
        number, _slash, period = rate.partition("/")
        return cls(int(number), PERIODS[period.strip().lower()])


@dataclass(frozen=True)
class Window:
    """The slots a count covers at ``now``: ``slots`` consecutive slots ending with the current one."""

    seconds: int
    slots: int = 1

    def starts(self, now: datetime) -> list[int]:
        length = max(1, self.seconds // self.slots)
        current = int(now.timestamp()) // length * length
        return [current - index * length for index in range(self.seconds // length)]


def _key(scope: str, ident: str) -> str:
    return crypto.search_token(f"{scope}:{ident}", purpose="throttle")


def hit(*, scope: str, ident: str, window: Window) -> int:
    """Count one event for ``ident``; return the events in the window, this one included."""
    key = _key(scope, ident)
    starts = window.starts(timezone.now())
    count = _redis_hit(key, starts, window.seconds)
    if count is None:
        count = _database_hit(scope, key, starts)
    return count


def count(*, scope: str, ident: str, window: Window) -> int:
    """The events in the window, without counting one."""
    key = _key(scope, ident)
    starts = window.starts(timezone.now())
    found = _redis_sum(key, starts)
    if found is None:
        found = _database_sum(key, starts)
    return found


def allowed(*, scope: str, ident: str, rate: str) -> bool:
    """Count one event against a fixed-window ``rate``; False once the window's limit is exceeded."""
    parsed = Rate.parse(rate)
    return hit(scope=scope, ident=ident, window=Window(parsed.seconds)) <= parsed.limit


def clear(*, scope: str, ident: str, window: Window) -> None:
    """Forget ``ident``'s events (a successful log-in forgives the account's failures)."""
    key = _key(scope, ident)
    ThrottleCounter.objects.filter(key=key).delete()
    redis_client = redis_connection()
    if redis_client is not None:
        try:
            redis_client.delete(*_names(key, window.starts(timezone.now())))
        except Exception:
            logger.warning("Redis unavailable; throttle counter not cleared there", exc_info=True)


def purge(*, older_than: timedelta = timedelta(days=2)) -> int:
    deleted, _detail = ThrottleCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted


def _names(key: str, starts: list[int]) -> list[str]:
    return [f"ruta:throttle:{key}:{start}" for start in starts]


def _redis_hit(key: str, starts: list[int], seconds: int) -> int | None:
    redis_client = redis_connection()
    if redis_client is None:
        return None
    names = _names(key, starts)
    try:
        pipeline = redis_client.pipeline(transaction=False)
        pipeline.incr(names[0])
        pipeline.expire(names[0], seconds + 60)  # the name carries its slot, so renewing is harmless
        if len(names) > 1:
            pipeline.mget(names[1:])
        results = pipeline.execute()
    except Exception:  # an unavailable Redis must not refuse reports or log-ins: count in the database
        logger.warning("Redis unavailable; counting in the database", exc_info=True)
        return None
    earlier = results[2] if len(names) > 1 else []
    return int(results[0]) + sum(int(value) for value in earlier if value is not None)


def _redis_sum(key: str, starts: list[int]) -> int | None:
    redis_client = redis_connection()
    if redis_client is None:
        return None
    try:
        values: list[Any] = redis_client.mget(_names(key, starts))
    except Exception:
        logger.warning("Redis unavailable; reading counters from the database", exc_info=True)
        return None
    return sum(int(value) for value in values if value is not None)


def _moment(start: int) -> Any:
    return connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(start, tz=UTC))


def _database_hit(scope: str, key: str, starts: list[int]) -> int:
    """An upsert, committed on its own in autocommit: no row lock outlives the statement."""
    table = ThrottleCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, key, window_start, count) VALUES (%s, %s, %s, 1) "  # noqa: S608 - fixed table
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [scope[:40], key, _moment(starts[0])],
        )
        current = int(cursor.fetchone()[0])
    return current + (_database_sum(key, starts[1:]) if len(starts) > 1 else 0)


def _database_sum(key: str, starts: list[int]) -> int:
    if not starts:
        return 0
    table = ThrottleCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(count), 0) FROM {table} WHERE key = %s AND window_start >= %s "  # noqa: S608
            "AND window_start <= %s",
            [key, _moment(min(starts)), _moment(max(starts))],
        )
        return int(cursor.fetchone()[0])
