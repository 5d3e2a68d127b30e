"""The background-work queue: enqueue after commit, claim with a conditional UPDATE, run, retry.

Handlers and periodic tasks are declared in each app's ``tasks.py`` with ``@handler`` and
``@periodic``; the worker imports them all at start."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from ruta.jobs.models import Job, JobStatus, PeriodicRun

logger = logging.getLogger(__name__)
WAKE_KEY = "ruta:jobs:wake"

Handler = Callable[[dict[str, Any]], None]
_HANDLERS: dict[str, Handler] = {}


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    every: timedelta
    function: Callable[[], Any]


_PERIODIC: dict[str, PeriodicTask] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        return function

    return register


def periodic(name: str, *, every: timedelta) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    def register(function: Callable[[], Any]) -> Callable[[], Any]:
        _PERIODIC[name] = PeriodicTask(name, every, function)
        return function

    return register


def discover() -> None:
    autodiscover_modules("tasks")


def periodic_tasks() -> list[PeriodicTask]:
    return list(_PERIODIC.values())


def enqueue(
    kind: str, payload: dict[str, Any], *, delay: timedelta | None = None, dedupe_key: str | None = None
) -> None:
    """Queue ``kind`` once the surrounding transaction commits (never for work that rolled back)."""

    def insert() -> None:
        try:
            with transaction.atomic():
                Job.objects.create(
                    kind=kind,
                    payload=payload,
                    run_after=timezone.now() + (delay or timedelta()),
                    dedupe_key=dedupe_key,
                )
        except IntegrityError:
            return  # already queued under this dedupe key
        _wake_workers()

    transaction.on_commit(insert)


def _wake_workers() -> None:
    if not settings.REDIS_URL:
        return
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).lpush(WAKE_KEY, "1")
    except Exception:
        logger.warning("could not wake workers through Redis", exc_info=True)


def wait_for_work(seconds: int) -> None:
    """Sleep until woken through Redis (when configured) or for ``seconds``."""
    import time

    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL).blpop([WAKE_KEY], timeout=seconds)
            return
        except Exception:
            logger.warning("Redis unavailable; polling the database instead", exc_info=True)
    time.sleep(seconds)


def _claimable(now: Any) -> Q:
    return Q(status=JobStatus.PENDING, run_after__lte=now) | Q(status=JobStatus.RUNNING, lease_until__lt=now)


def claim_next(worker: str) -> Job | None:
    """Claim one due job. The UPDATE repeats the eligibility test, so only one worker can win it."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.RUTA_WORKER_LEASE_SECONDS)
    candidates = Job.objects.filter(_claimable(now)).order_by("run_after", "id").values_list("id", flat=True)[:20]
    for job_id in candidates:
        won = Job.objects.filter(_claimable(now), pk=job_id).update(
            status=JobStatus.RUNNING, claimed_by=worker, lease_until=lease, attempts=F("attempts") + 1
        )
        if won:
            return Job.objects.get(pk=job_id)
    return None


def run_job(job: Job, worker: str) -> bool:
    """Run a claimed job; its effects and its 'done' mark commit together. True if it succeeded."""
    function = _HANDLERS.get(job.kind)
    try:
        if function is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        with transaction.atomic():
            function(job.payload)
            finished = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, claimed_by=worker).update(
                status=JobStatus.DONE, finished_at=timezone.now(), lease_until=None
            )
            if not finished:
                # Our lease ran out and another worker took the job: undo our effects.
                raise _LeaseLost
    except _LeaseLost:
        return False
    except Exception:
        error = traceback.format_exc(limit=5)
        logger.exception("job %s failed", job)
        job.refresh_from_db(fields=["attempts", "max_attempts"])
        give_up = job.attempts >= job.max_attempts
        Job.objects.filter(pk=job.pk, claimed_by=worker).update(
            status=JobStatus.FAILED if give_up else JobStatus.PENDING,
            run_after=timezone.now() + timedelta(seconds=30 * 2 ** min(job.attempts, 8)),
            last_error=error,
            lease_until=None,
        )
        return False
    return True


class _LeaseLost(Exception):
    pass


def run_due_periodic(worker: str) -> list[str]:
    """Run every periodic task whose tick this worker wins; returns the names it ran."""
    ran = []
    now = timezone.now()
    for task in periodic_tasks():
        PeriodicRun.objects.get_or_create(name=task.name, defaults={"next_run_at": now})
        won = PeriodicRun.objects.filter(name=task.name, next_run_at__lte=now).update(
            next_run_at=now + task.every, last_run_at=now, last_run_by=worker
        )
        if not won:
            continue
        try:
            task.function()
        except Exception:
            logger.exception("periodic task %s failed", task.name)
        ran.append(task.name)
    return ran


def work_once(worker: str, *, max_jobs: int = 50) -> int:
    """One pass: due periodic tasks, then up to ``max_jobs`` jobs. Returns how many jobs ran."""
    run_due_periodic(worker)
    done = 0
    while done < max_jobs:
        job = claim_next(worker)
        if job is None:
            break
        run_job(job, worker)
        done += 1
    return done
