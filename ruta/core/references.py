"""Human-readable, pseudonymous references: ``<prefix>-<year>-<number>`` (e.g. ``V-2026-000123``).

They carry no personal data, so they can be shown to everyone who may know a record exists. The
counter row is locked for the increment, so concurrent transactions never hand out the same number."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ruta.core.models import ReferenceSequence


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def reserve_references(prefix: str, count: int = 1) -> list[str]:
    """Reserve ``count`` consecutive references in the current year (bulk loaders take blocks)."""
    year = timezone.localdate().year
    with transaction.atomic():
        ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
        sequence = ReferenceSequence.objects.select_for_update().get(prefix=prefix, year=year)
        ReferenceSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + count)
        first = sequence.last_value + 1
    return [format_reference(prefix, year, number) for number in range(first, first + count)]


def next_reference(prefix: str) -> str:
    return reserve_references(prefix, 1)[0]
