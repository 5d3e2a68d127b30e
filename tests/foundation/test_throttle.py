"""The one throttle (``ruta.core.throttle``): fixed and sliding windows, in the database and in Redis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from ruta.core import throttle
from ruta.core.models import ThrottleCounter

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture(params=["database", "redis"])
def store(request: Any, settings: Any) -> str:
    if request.param == "redis":
        import redis as redis_library

        settings.REDIS_URL = "redis://127.0.0.1:6379/15"
        redis_library.Redis.from_url(settings.REDIS_URL).flushdb()
    else:
        settings.REDIS_URL = ""
    return str(request.param)


def _at(monkeypatch: Any, moment: datetime) -> None:
    monkeypatch.setattr(throttle, "timezone", SimpleNamespace(now=lambda: moment))


def test_a_sliding_window_holds_until_the_oldest_event_leaves_it(store: str, monkeypatch: Any) -> None:
    window = throttle.Window(15 * 60, slots=15)
    _at(monkeypatch, START + timedelta(minutes=14, seconds=30))  # just before a fixed window would reset
    assert [throttle.hit(scope="t", ident="a", window=window) for _ in range(5)] == [1, 2, 3, 4, 5]
    _at(monkeypatch, START + timedelta(minutes=20))
    assert throttle.count(scope="t", ident="a", window=window) == 5  # a fixed window would say 0
    _at(monkeypatch, START + timedelta(minutes=29, seconds=59))
    assert throttle.count(scope="t", ident="a", window=window) == 0
    assert throttle.count(scope="t", ident="b", window=window) == 0
    assert (ThrottleCounter.objects.count() == 1) is (store == "database")


def test_a_fixed_rate_refuses_past_its_limit_and_clear_forgives(store: str, monkeypatch: Any) -> None:
    _at(monkeypatch, START)
    assert [throttle.allowed(scope="t", ident="a", rate="2/hour") for _ in range(3)] == [True, True, False]
    assert throttle.allowed(scope="t", ident="other", rate="2/hour")
    throttle.clear(scope="t", ident="a", window=throttle.Window(3600))
    assert throttle.allowed(scope="t", ident="a", rate="2/hour")
    _at(monkeypatch, START + timedelta(hours=1))
    assert [throttle.allowed(scope="t", ident="a", rate="2/hour") for _ in range(2)] == [True, True]


def test_only_keyed_hashes_are_stored_and_old_counters_are_purged(settings: Any, monkeypatch: Any) -> None:
    settings.REDIS_URL = ""
    _at(monkeypatch, START)
    throttle.hit(scope="login.address", ident="10.1.2.3", window=throttle.Window(60))
    row = ThrottleCounter.objects.get()
    assert row.scope == "login.address" and "10.1.2.3" not in row.key
    _at(monkeypatch, START + timedelta(days=3))
    assert throttle.purge() == 1 and not ThrottleCounter.objects.exists()


@pytest.mark.parametrize(("rate", "parsed"), [("20/hour", (20, 3600)), ("600/h", (600, 3600)), ("5/min", (5, 60))])
def test_rates_are_written_as_drf_writes_them(rate: str, parsed: tuple[int, int]) -> None:
    assert throttle.Rate.parse(rate) == throttle.Rate(*parsed)
