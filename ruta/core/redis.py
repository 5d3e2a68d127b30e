"""One Redis connection pool per process, when ``REDIS_URL`` is set (it is optional everywhere)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings


@lru_cache(maxsize=4)
def _client_for(url: str) -> Any:
    import redis

    # Short timeouts: callers fall back to the database when Redis does not answer promptly.
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def client() -> Any | None:
    return _client_for(settings.REDIS_URL) if settings.REDIS_URL else None
