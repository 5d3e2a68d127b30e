from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from ruta.jobs import services
from ruta.jobs.models import Job, JobStatus, PeriodicRun
from ruta.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

effects: list[str] = []


@services.handler("test.append")
def _append(payload: dict[str, Any]) -> None:
    effects.append(payload["value"])


@services.handler("test.write_then_fail")
def _write_then_fail(payload: dict[str, Any]) -> None:
    Job.objects.create(kind="side-effect", run_after=timezone.now())
    if payload.get("fail"):
        raise RuntimeError("crash mid-job")


@pytest.fixture(autouse=True)
def _clean() -> None:
    effects.clear()


def test_enqueue_waits_for_commit_and_rolls_back_with_the_transaction() -> None:
    with transaction.atomic():
        services.enqueue("test.append", {"value": "a"})
        assert not Job.objects.exists()
    assert Job.objects.count() == 1
    try:
        with transaction.atomic():
            services.enqueue("test.append", {"value": "b"})
            raise RuntimeError
    except RuntimeError:
        pass
    assert Job.objects.count() == 1


def test_dedupe_key_queues_once() -> None:
    services.enqueue("test.append", {"value": "a"}, dedupe_key="once")
    services.enqueue("test.append", {"value": "a"}, dedupe_key="once")
    assert Job.objects.count() == 1


def test_a_job_is_claimed_by_one_worker_only() -> None:
    services.enqueue("test.append", {"value": "x"})
    first = services.claim_next("w1")
    assert first is not None and first.claimed_by == "w1"
    assert services.claim_next("w2") is None
    assert services.run_job(first, "w1")
    assert effects == ["x"]
    assert Job.objects.get().status == JobStatus.DONE


def test_an_expired_lease_is_reclaimed_and_the_old_worker_cannot_finish() -> None:
    services.enqueue("test.write_then_fail", {})
    stale = services.claim_next("killed")
    assert stale is not None
    Job.objects.filter(pk=stale.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    fresh = services.claim_next("w2")
    assert fresh is not None and fresh.pk == stale.pk
    # The first worker wakes up: its effects must roll back because it lost the job.
    assert services.run_job(stale, "killed") is False
    assert not Job.objects.filter(kind="side-effect").exists()
    assert services.run_job(fresh, "w2") is True
    assert Job.objects.filter(kind="side-effect").count() == 1


def test_a_crash_mid_job_undoes_its_effects_and_retries_later() -> None:
    services.enqueue("test.write_then_fail", {"fail": True})
    job = services.claim_next("w1")
    assert job is not None
    assert services.run_job(job, "w1") is False
    job.refresh_from_db()
    assert job.status == JobStatus.PENDING and job.attempts == 1 and "crash mid-job" in job.last_error
    assert job.run_after > timezone.now()
    assert not Job.objects.filter(kind="side-effect").exists()


def test_a_job_gives_up_after_max_attempts() -> None:
    services.enqueue("test.write_then_fail", {"fail": True})
    Job.objects.update(max_attempts=1)
    job = services.claim_next("w1")
    assert job is not None
    services.run_job(job, "w1")
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_a_periodic_tick_runs_on_one_worker_only() -> None:
    ran: list[str] = []
    services.periodic("test.tick", every=timedelta(minutes=5))(lambda: ran.append("tick"))
    try:
        assert "test.tick" in services.run_due_periodic("w1")
        assert "test.tick" not in services.run_due_periodic("w2")
        assert ran == ["tick"]
        PeriodicRun.objects.filter(name="test.tick").update(next_run_at=timezone.now() - timedelta(seconds=1))
        assert "test.tick" in services.run_due_periodic("w2")
    finally:
        services._PERIODIC.pop("test.tick")


def test_notifications_are_once_per_recipient_and_dedupe_key(personas: dict[str, Any]) -> None:
    from ruta.notifications.services import notify

    user = personas["duty_officer"]
    notify(recipients=[user, user], kind="k", subject="s", dedupe_key="escalation:1")
    notify(recipients=[user], kind="k", subject="s", dedupe_key="escalation:1")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert Job.objects.filter(kind="notifications.email").count() == 1
    job = services.claim_next("w")
    assert job is not None and services.run_job(job, "w")
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_notification_e_mails_link_to_the_site(personas: dict[str, Any], settings: Any) -> None:
    from ruta.notifications.services import notify

    settings.SITE_URL = "https://ruta.example.hn"
    user = personas["duty_officer"]
    notify(recipients=[user], kind="k", subject="s", body="b", url="/alerts/A-2026-000001/")
    job = services.claim_next("w")
    assert job is not None and services.run_job(job, "w")
    assert mail.outbox[-1].body.endswith("https://ruta.example.hn/alerts/A-2026-000001/")
    assert Notification.objects.get(recipient=user).url == "/alerts/A-2026-000001/"  # the page keeps the path
