"""Key rotation: re-encrypt every encrypted column under the first key of FIELD_ENCRYPTION_KEYS.

Work goes column by column in primary-key order, in batches; each batch and its progress row commit
together, so an interrupted run resumes where it stopped. Each row is rewritten with a conditional
UPDATE (only if the ciphertext is still the one read), so concurrent edits are never overwritten.
Search tokens are keyed with a key derived from the first encryption key, so after the columns the
token rebuilders the apps registered run (``register_token_rebuilder``; persons registers
``ruta.persons.services.person_tokens_rebuild``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from ruta.core import crypto
from ruta.core.fields import ENCRYPTED_FIELDS
from ruta.core.registry import Registry
from ruta.security.models import KeyRotationProgress


@dataclass
class RotationReport:
    rewritten: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    tokens_rebuilt: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TokenRebuilder:
    name: str
    queryset: Callable[[], models.QuerySet[Any]]
    rebuild: Callable[[Any], Any]


_REBUILDERS: Registry[TokenRebuilder] = Registry("token rebuilder", lambda rebuilder: rebuilder.name)


def register_token_rebuilder(rebuilder: TokenRebuilder) -> TokenRebuilder:
    """A search-token family to recompute after a rotation (from the owning app's ``plugin.py``)."""
    return _REBUILDERS.register(rebuilder)


def token_rebuilders() -> list[TokenRebuilder]:
    return _REBUILDERS.all()


def _columns() -> Iterator[models.Field[Any, Any]]:
    seen = set()
    for column in ENCRYPTED_FIELDS:
        label = f"{column.model._meta.label_lower}.{column.name}"
        if label in seen or column.model._meta.proxy or not column.model._meta.managed:
            continue
        seen.add(label)
        yield column


def _progress(label: str, key_id: str) -> KeyRotationProgress:
    progress, _ = KeyRotationProgress.objects.get_or_create(column=label, defaults={"target_key_id": key_id})
    if progress.target_key_id != key_id:
        # A new rotation (another first key): start this column again.
        progress.target_key_id, progress.last_pk, progress.rewritten, progress.finished_at = key_id, "", 0, None
        progress.save()
    return progress


def rotate_column(column: models.Field[Any, Any], *, batch_size: int, report: RotationReport) -> None:
    model = column.model
    label = f"{model._meta.label_lower}.{column.name}"
    key_id = crypto.current_key_id()
    progress = _progress(label, key_id)
    if progress.finished_at is not None:
        return
    quote = connection.ops.quote_name
    table, pk_column, data_column = quote(model._meta.db_table), quote(model._meta.pk.column), quote(column.column)
    context = column.crypto_context  # type: ignore[attr-defined]
    pk_field = model._meta.pk
    while True:
        with transaction.atomic():
            progress = KeyRotationProgress.objects.select_for_update().get(pk=progress.pk)
            with connection.cursor() as cursor:
                if progress.last_pk:
                    cursor.execute(
                        f"SELECT {pk_column}, {data_column} FROM {table} WHERE {pk_column} > %s "  # noqa: S608
                        f"ORDER BY {pk_column} LIMIT %s",
                        [pk_field.to_python(progress.last_pk), batch_size],
                    )
                else:
                    cursor.execute(
                        f"SELECT {pk_column}, {data_column} FROM {table} ORDER BY {pk_column} LIMIT %s",  # noqa: S608
                        [batch_size],
                    )
                rows = cursor.fetchall()
                for pk, value in rows:
                    if not value:
                        continue
                    try:
                        fresh = crypto.reencrypt(value, context=context)
                    except crypto.DecryptionError:
                        report.failed[label] = report.failed.get(label, 0) + 1
                        continue
                    if fresh is None:
                        continue
                    cursor.execute(
                        f"UPDATE {table} SET {data_column} = %s WHERE {pk_column} = %s AND {data_column} = %s",  # noqa: S608
                        [fresh, pk, value],
                    )
                    progress.rewritten += cursor.rowcount
                    report.rewritten[label] = report.rewritten.get(label, 0) + cursor.rowcount
            if rows:
                progress.last_pk = str(rows[-1][0])
            if len(rows) < batch_size:
                progress.finished_at = timezone.now()
            progress.save()
        if progress.finished_at is not None:
            return


def rebuild_batch(rebuilder: TokenRebuilder, *, after: Any, batch_size: int) -> list[Any]:
    """Rebuild the tokens of the next ``batch_size`` items after primary key ``after`` (from the
    first when empty), in primary-key order; the caller owns the transaction. Returns the items."""
    batch = rebuilder.queryset().order_by("pk")
    if after:
        batch = batch.filter(pk__gt=after)
    items = list(batch[:batch_size])
    for item in items:
        rebuilder.rebuild(item)
    return items


def rebuild_tokens(rebuilder: TokenRebuilder, *, batch_size: int, report: RotationReport) -> None:
    key_id = crypto.current_key_id()
    progress = _progress(rebuilder.name, key_id)
    if progress.finished_at is not None:
        return
    while True:
        with transaction.atomic():
            progress = KeyRotationProgress.objects.select_for_update().get(pk=progress.pk)
            items = rebuild_batch(rebuilder, after=progress.last_pk, batch_size=batch_size)
            report.tokens_rebuilt[rebuilder.name] = report.tokens_rebuilt.get(rebuilder.name, 0) + len(items)
            progress.rewritten += len(items)
            if items:
                progress.last_pk = str(items[-1].pk)
            if len(items) < batch_size:
                progress.finished_at = timezone.now()
            progress.save()
        if progress.finished_at is not None:
            return


def rotate_all(*, batch_size: int = 500, restart: bool = False) -> RotationReport:
    """Rotate every encrypted column, then rebuild search tokens; resumable and idempotent."""
    if restart:
        KeyRotationProgress.objects.all().delete()
    report = RotationReport()
    for column in _columns():
        rotate_column(column, batch_size=batch_size, report=report)
    for rebuilder in token_rebuilders():
        rebuild_tokens(rebuilder, batch_size=batch_size, report=report)
    return report
