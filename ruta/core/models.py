from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TranslatedLabelsMixin(models.Model):
    """Reference data that administrators translate themselves: ``labels`` maps a language code to text.

    Catalogues (services, indicators, closure reasons…) are data, so their translations live with
    them instead of in the .po files; a country adds a language by filling the labels."""

    labels = models.JSONField(_("labels by language"), default=dict, blank=True)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return translated_label(self.labels, fallback=str(getattr(self, "code", "")))


def translated_label(labels: dict[str, Any], *, fallback: str = "") -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for candidate in (language, settings.LANGUAGE_CODE, "en"):
        value = labels.get(candidate)
        if value:
            return str(value)
    return next((str(value) for value in labels.values() if value), fallback)


class IdempotencyRecord(models.Model):
    """The first answer given for an idempotency key, so a retried submission gets it again."""

    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=128)
    request_fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_unique")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class ReferenceSequence(models.Model):
    """Counters behind human-readable references such as ``A-2026-000123``."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_value}"


class ConfigurationGeneration(models.Model):
    """How many times a piece of configuration has changed (see ``ruta.core.generations``)."""

    name = models.CharField(max_length=64, primary_key=True)
    generation = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.generation}"


class ThrottleCounter(models.Model):
    """Events per throttled key (a keyed hash, never an address or a user name) per time slot; see
    ``ruta.core.throttle``. Only counters: they may be deleted at any time."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="throttle_counter_unique")]

    def __str__(self) -> str:
        return f"{self.scope}: {self.count}"


class IndicatorRollup(models.Model):
    """An indicator's count for one month and one combination of its kept dimensions (see
    ``ruta.core.rollups``): derived data, recounted from the records whenever in doubt."""

    indicator = models.CharField(max_length=100)
    month = models.DateField()
    synthetic = models.BooleanField()
    # The kept dimensions' values in the rollup's order, as a JSON list (codes, numbers or null).
    key = models.TextField()
    count = models.PositiveIntegerField()
    # For a rollup of values (a median's): the group's values, sorted, as little-endian 64-bit integers.
    samples = models.BinaryField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["indicator", "month"], name="indicator_rollup_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m} {self.key}: {self.count}"


class RollupState(models.Model):
    """Up to which month an indicator's rollup is kept (``through``, exclusive) and for which
    definition (``signature``): a changed definition is recounted, never mixed with old rows."""

    indicator = models.CharField(max_length=100, primary_key=True)
    signature = models.CharField(max_length=64)
    through = models.DateField()
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.indicator} through {self.through:%Y-%m}"


class RollupMark(models.Model):
    """A month whose records changed since the rollups over them were counted: read from the records
    until the worker recounts it. Never unique: the worker deletes exactly the marks it read, so a
    change committed while it counts keeps its own mark."""

    source = models.CharField(max_length=120)
    month = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["source", "month"], name="rollup_mark_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m}"
