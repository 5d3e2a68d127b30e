"""Bulk insertion for the generator: COPY on PostgreSQL, ``bulk_create`` elsewhere.

Values go through each field's own ``get_db_prep_save``, so encrypted fields are encrypted by the
same field classes as in production and JSON is adapted as Django would. On PostgreSQL the primary
keys are reserved from the table's sequence first, so related rows can be written in the same batch
without ``RETURNING``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connections, models

from ruta.core.fields import EncryptedJSONField, EncryptedTextField
from ruta.core.rows import new as make  # without Model.__init__: a third of the generator's time at scale

# Fields whose database value is the Python value itself for what the generator passes (str, int,
# bool, aware datetime, date, None): the COPY path skips Django's per-value preparation for them.
_PLAIN = (
    models.CharField,
    models.IntegerField,
    models.BooleanField,
    models.DateTimeField,
    models.DateField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def insert_values(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]], *, using: str = "default"
) -> None:
    """Insert plain rows (attribute names, values ready for the database; no encrypted or JSON fields)
    into a narrow table whose ids nobody needs back: COPY without the id column on PostgreSQL."""
    if not rows:
        return
    connection = connections[using]
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    for name in names:
        field = by_attname[name]
        if not isinstance(field, _PLAIN) or isinstance(field, EncryptedTextField | EncryptedJSONField):
            raise TypeError(f"{model.__name__}.{name} needs preparation: use insert()")
    if connection.vendor != "postgresql":
        insert(model, [make(model, **dict(zip(names, row, strict=True))) for row in rows], using=using)
        return
    columns = ", ".join(connection.ops.quote_name(by_attname[name].column) for name in names)
    table = connection.ops.quote_name(model._meta.db_table)
    connection.ensure_connection()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@cache
def _converters(model: type[models.Model], vendor: str) -> list[tuple[str, Any]]:
    converters = []
    for field in model._meta.concrete_fields:
        plain = isinstance(field, _PLAIN) and not isinstance(field, EncryptedTextField | EncryptedJSONField)
        converters.append((field.attname, None if plain else field))
    return converters


def _reserve_ids(model: type[models.Model], count: int, connection: Any) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [_sequence(model, connection), count]
        )
        return [row[0] for row in cursor.fetchall()]


_SEQUENCES: dict[str, str] = {}


def _sequence(model: type[models.Model], connection: Any) -> str:
    table = model._meta.db_table
    if table not in _SEQUENCES:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])  # type: ignore[union-attr]
            _SEQUENCES[table] = cursor.fetchone()[0]
    return _SEQUENCES[table]


def _has_own_sequence(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)


def insert(model: type[models.Model], objs: Sequence[models.Model], *, using: str = "default") -> None:
    """Insert ``objs`` (all new); afterwards each has its primary key."""
    if not objs:
        return
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._default_manager.using(using).bulk_create(objs, batch_size=500)
        return
    if _has_own_sequence(model):
        missing = [obj for obj in objs if obj.pk is None]
        for obj, pk in zip(missing, _reserve_ids(model, len(missing), connection), strict=True):
            obj.pk = pk
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    auto_dates = [
        field
        for field in fields
        if isinstance(field, models.DateField) and (getattr(field, "auto_now", False) or field.auto_now_add)  # type: ignore[attr-defined]
    ]
    converters = _converters(model, connection.vendor)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor, in Django's current transaction
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                for field in auto_dates:
                    if getattr(obj, field.attname) is None:
                        field.pre_save(obj, True)
                values = obj.__dict__
                copy.write_row(
                    [
                        values[name] if field is None else field.get_db_prep_save(values[name], connection)
                        for name, field in converters
                    ]
                )


def bulk_set(
    model: type[models.Model], column_by_pk: dict[int, Any], field_name: str, *, using: str = "default"
) -> None:
    """Set one foreign-key or scalar column on many rows (``UPDATE … FROM (VALUES …)`` on PostgreSQL)."""
    if not column_by_pk:
        return
    connection = connections[using]
    field = model._meta.get_field(field_name)
    if connection.vendor != "postgresql":
        objs = [model(pk=pk, **{field.attname: value}) for pk, value in column_by_pk.items()]  # type: ignore[union-attr]
        model._default_manager.using(using).bulk_update(objs, [field_name], batch_size=500)
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(field.column)  # type: ignore[union-attr, arg-type]
    pk_column = connection.ops.quote_name(model._meta.pk.column)  # type: ignore[union-attr, arg-type]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {column} = v.value FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, value) "  # noqa: S608
            f"WHERE t.{pk_column} = v.id",
            [list(column_by_pk.keys()), list(column_by_pk.values())],
        )
