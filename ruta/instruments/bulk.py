"""Inserting imported submissions in bulk: PostgreSQL's COPY, or ``bulk_create`` elsewhere.

A 100,000-row export must import at thousands of rows per second. A multi-row INSERT with ten
parameters per row spends most of its time building and parsing the statement; COPY streams the
rows as they are, so PostgreSQL only checks constraints and writes. Answers are serialised once,
here, with the C JSON encoder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from ruta.instruments.models import Submission

COLUMNS = (
    "instrument_id",
    "version_id",
    "instance_id",
    "data",
    "submitted_at",
    "submitted_by_id",
    "institution_id",
    "source",
    "submission_import_id",
    "created_at",
)


@dataclass(frozen=True, slots=True)
class NewSubmission:
    instrument_id: int
    version_id: int
    instance_id: str
    data: dict[str, Any]
    submitted_at: datetime
    institution_id: int | None
    source: str
    submission_import_id: int | None


def existing(instrument_id: int, instance_ids: list[str]) -> set[str]:
    """Which of ``instance_ids`` the instrument already has (one array parameter on PostgreSQL:
    an ``IN`` list of thousands of parameters costs more to build than to run)."""
    if connection.vendor != "postgresql":
        found = Submission.objects.filter(instrument_id=instrument_id, instance_id__in=instance_ids)
        return set(found.values_list("instance_id", flat=True))
    table = connection.ops.quote_name(Submission._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT instance_id FROM {table} WHERE instrument_id = %s AND instance_id = ANY(%s)",  # noqa: S608
            [instrument_id, instance_ids],
        )
        return {row[0] for row in cursor.fetchall()}


def insert(rows: list[NewSubmission], *, created_at: datetime) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(rows, created_at)
        return
    Submission.objects.bulk_create(
        [
            Submission(
                instrument_id=row.instrument_id,
                version_id=row.version_id,
                instance_id=row.instance_id,
                data=row.data,
                submitted_at=row.submitted_at,
                institution_id=row.institution_id,
                source=row.source,
                submission_import_id=row.submission_import_id,
            )
            for row in rows
        ]
    )


def _copy(rows: list[NewSubmission], created_at: datetime) -> None:
    table = connection.ops.quote_name(Submission._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in COLUMNS)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(
                    (
                        row.instrument_id,
                        row.version_id,
                        row.instance_id,
                        encode(row.data),
                        row.submitted_at,
                        None,
                        row.institution_id,
                        row.source,
                        row.submission_import_id,
                        created_at,
                    )
                )
