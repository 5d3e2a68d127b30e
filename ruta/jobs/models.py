from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A unit of background work. Workers claim a row with a conditional UPDATE and a lease, so two
    workers never run the same job and a killed worker's job is picked up once its lease expires."""

    kind = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.PENDING)
    run_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    dedupe_key = models.CharField(max_length=128, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "run_after"], name="job_status_run_after")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk} ({self.status})"


class PeriodicRun(models.Model):
    """When a periodic task is next due; a worker takes a tick with a conditional UPDATE."""

    name = models.CharField(max_length=64, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_by = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.name
