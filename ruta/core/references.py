"""Human-readable, pseudonymous references: ``<prefix>-<year>-<number>`` (e.g. ``V-2026-000123``).

They carry no personal data, so they can be shown to everyone who may know a record exists.

Numbers must never repeat, and taking one must not serialise the submissions that need one: on
PostgreSQL each (prefix, year) has a real sequence, whose ``nextval`` is not rolled back and holds no
row lock until commit (a rolled-back submission leaves a gap, which is harmless). A block for bulk
loads is taken under a short exclusive advisory lock so it is contiguous; single numbers take the
same lock shared. SQLite has a single writer
anyway, so a counter row is enough there."""

from __future__ import annotations

import zlib

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from ruta.core.models import ReferenceSequence

_KNOWN_SEQUENCES: set[tuple[str, str]] = set()


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def reserve_reference_block(prefix: str, count: int = 1) -> tuple[int, int]:
    """Reserve ``count`` consecutive numbers in the current year; returns (year, first number)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    if not prefix.isalnum():
        raise ValueError("a reference prefix is letters and digits only")
    year = timezone.localdate().year
    if connection.vendor == "postgresql":
        return year, _postgres_block(prefix.upper(), year, count)
    with transaction.atomic():
        ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
        sequence = ReferenceSequence.objects.select_for_update().get(prefix=prefix, year=year)
        ReferenceSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + count)
        return year, sequence.last_value + 1


def _postgres_block(prefix: str, year: int, count: int) -> int:
    name = f"ruta_reference_{prefix.lower()}_{year}"
    lock_key = zlib.crc32(name.encode())
    # Ensure the sequence exists before this session ever looks it up: a failed lookup inside an
    # open transaction can hide a relation created meanwhile by another session.
    key = (connection.settings_dict["NAME"], name)
    with connection.cursor() as cursor:
        if key not in _KNOWN_SEQUENCES:
            cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key])
            try:
                _create_sequence(name, prefix, year)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key])
            _KNOWN_SEQUENCES.add(key)
        if count == 1:
            # One statement: single numbers share the lock (they never wait for each other), which
            # only keeps them out of a block while it is being reserved under the exclusive lock.
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM (SELECT pg_advisory_xact_lock_shared(%s)) AS block_guard",
                [name, lock_key],
            )
            return int(cursor.fetchone()[0])
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key])
        try:
            cursor.execute("SELECT nextval(%s::regclass)", [name])
            first = int(cursor.fetchone()[0])
            cursor.execute("SELECT setval(%s::regclass, %s)", [name, first + count - 1])
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key])
    return first


def _create_sequence(name: str, prefix: str, year: int) -> None:
    """Create the sequence on a separate autocommit connection: it must outlive the caller's
    transaction (a rollback must not give the numbers out again) and be visible to others at once."""
    other = connection.copy()
    try:
        other.set_autocommit(True)
        with other.cursor() as cursor:
            # Continue after any number the counter-row scheme already handed out.
            cursor.execute(
                "SELECT COALESCE(MAX(last_value), 0) + 1 FROM core_referencesequence WHERE prefix = %s AND year = %s",
                [prefix, year],
            )
            start = int(cursor.fetchone()[0])
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {start}")
    finally:
        other.close()


def reserve_references(prefix: str, count: int = 1) -> list[str]:
    year, first = reserve_reference_block(prefix, count)
    return [format_reference(prefix, year, number) for number in range(first, first + count)]


def next_reference(prefix: str) -> str:
    return reserve_references(prefix, 1)[0]


def references_reset() -> None:
    """Start every reference counter again from 1 — only for wiping a whole database (flush)."""
    ReferenceSequence.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() "
                "AND sequencename LIKE 'ruta\\_reference\\_%%'"
            )
            for (name,) in cursor.fetchall():
                # setval, unlike DROP, is not transactional: it restarts the counter at once.
                cursor.execute("SELECT setval(%s::regclass, 1, false)", [name])
