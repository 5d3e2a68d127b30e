"""The synthetic generator's checkpoint: one row per entity, updated in the same transaction as the
batch it records, so an interrupted run resumes exactly where the last committed batch ended."""

from __future__ import annotations

from django.db import models


class SyntheticCheckpoint(models.Model):
    entity = models.CharField(max_length=32, unique=True)
    seed = models.BigIntegerField()
    batch_size = models.PositiveIntegerField()
    batches_done = models.PositiveIntegerField(default=0)
    rows_done = models.BigIntegerField(default=0)
    # What the run fixed at its start and must keep on resume: the reference block, the anchor date…
    params = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "demo"
        verbose_name = "synthetic-data checkpoint"

    def __str__(self) -> str:
        return f"{self.entity}: {self.rows_done} rows ({self.batches_done} batches)"
