"""New rows without Django's per-instance machinery, for the hottest write paths.

A public alert writes six small rows. Building them as models and sending them through Django's
insert compiler (``Model.__init__``, ``pre_save`` and value preparation per field, SQL compiled
per call) costs the web worker more CPU than PostgreSQL spends storing them, and intake is bound
by the workers' CPU. ``new`` builds an instance from its field defaults; ``insert`` sends the
values a save would send (each field's ``get_db_prep_save``: encryption, JSON, time zones;
``auto_now``/``auto_now_add`` set) in one ``INSERT … RETURNING`` per call, with the statement
compiled once per model and row count; ``insert_together`` sends several models' rows in one
round trip.

Only for plain inserts: no ``save()`` override and no ``pre_save``/``post_save`` receiver of the
model runs, so use it for models whose saving adds nothing to the row (``insertable`` checks the
receivers). A receiver whose work ``insert`` does itself through an ``insert_hook`` (the statistics'
rollups mark the month a new row lands in) does not count against that."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, ParamSpec, TypeVar

from django.db import connections, models
from django.db.models.base import ModelState
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=models.Model)
P = ParamSpec("P")


@cache
def _defaults(model: type[models.Model]) -> tuple[dict[str, Any], list[tuple[str, Callable[[], Any]]]]:
    """Each concrete field's default: fixed values, and factories (``dict``, ``uuid4``…) to call per row."""
    fixed: dict[str, Any] = {}
    factories = []
    for field in model._meta.concrete_fields:
        if field.has_default():
            if callable(field.default):
                factories.append((field.attname, field.default))
            else:
                fixed[field.attname] = field.default
        else:
            empty = None if field.null or field.primary_key or not field.empty_strings_allowed else ""
            fixed[field.attname] = empty
    return fixed, factories


def new(model: type[M], **values: Any) -> M:
    """An unsaved instance, as ``model(**values)`` would build it but without ``Model.__init__``.

    ``values`` use attribute names (``alert_id``, not ``alert``); unset fields get their defaults."""
    obj = model.__new__(model)
    fixed, factories = _defaults(model)
    state = {**fixed, **{name: factory() for name, factory in factories if name not in values}, **values}
    state["_state"] = ModelState()
    obj.__dict__ = state
    return obj


@cache
def _statement(
    model: type[models.Model], using: str, count: int, with_pk: bool
) -> tuple[str, list[models.Field], list[models.Field]]:
    """``INSERT INTO table (columns) VALUES (…), …`` for ``count`` rows, the fields in column order,
    and those of them set at insert time (``auto_now``/``auto_now_add``)."""
    connection = connections[using]
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if with_pk or f is not pk]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = connection.ops.quote_name(model._meta.db_table)
    auto_dates = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * count)}", fields, auto_dates  # noqa: S608


def _values(
    objs: Sequence[models.Model], fields: list[models.Field], auto_dates: list[models.Field], connection: Any
) -> list[Any]:
    params: list[Any] = []
    for obj in objs:
        for field in auto_dates:
            field.pre_save(obj, True)
        params += [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
    return params


# Per model: what ``insert`` calls after writing its rows, and the save receivers that makes redundant.
_INSERT_HOOKS: dict[type[models.Model], list[tuple[Callable[[Sequence[models.Model], str], None], frozenset[Any]]]] = {}


def insert_hook(
    model: type[models.Model], hook: Callable[[Sequence[models.Model], str], None], *, replaces: Sequence[Any]
) -> None:
    """Have ``insert`` call ``hook(rows, using)`` for ``model``: the work of the save receivers
    ``replaces``, which then no longer make the model uninsertable."""
    entries = _INSERT_HOOKS.setdefault(model, [])
    if all(existing is not hook for existing, _receivers in entries):
        entries.append((hook, frozenset(replaces)))


def insertable(model: type[models.Model]) -> bool:
    """Whether nothing listens to the model's saves (``insert`` would bypass the listener), apart
    from receivers whose work an ``insert_hook`` does."""
    replaced = frozenset().union(*(receivers for _hook, receivers in _INSERT_HOOKS.get(model, [])))
    for signal in (pre_save, post_save):
        sync_receivers, async_receivers = signal._live_receivers(model)
        if any(receiver not in replaced for receiver in (*sync_receivers, *async_receivers)):
            return False
    return True


def _saved(objs: Sequence[models.Model], using: str) -> None:
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    if objs:
        for hook, _receivers in _INSERT_HOOKS.get(type(objs[0]), []):
            hook(objs, using)


def insert(objs: Sequence[models.Model], *, using: str = "default") -> None:
    """Insert new instances of one model in one statement; afterwards each has its primary key.

    Where the database cannot return the new ids (SQLite before 3.35), each row is saved."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[using]
    if not connection.features.can_return_rows_from_bulk_insert:
        for obj in objs:
            obj.save(force_insert=True, using=using)
        return
    with_pk = objs[0].pk is not None
    connection.ensure_connection()
    sql, fields, auto_dates = _statement(model, using, len(objs), with_pk)
    returning = connection.ops.quote_name(model._meta.pk.column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {returning}", _values(objs, fields, auto_dates, connection))
        ids = [row[0] for row in cursor.fetchall()]
    if not with_pk:
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
    _saved(objs, using)


def insert_together(*batches: Sequence[models.Model], using: str = "default") -> None:
    """Insert the new rows of several models at once, without reading their ids back: for rows
    nothing refers to afterwards (an alert's persons, narrative tokens, first timeline entry).

    On PostgreSQL one statement (every batch but the last a data-modifying ``WITH`` clause), so one
    round trip instead of one per model; elsewhere one statement per batch."""
    batches = tuple(batch for batch in batches if batch)
    connection = connections[using]
    if connection.vendor != "postgresql":
        for batch in batches:
            insert(batch, using=using)
        return
    if not batches:
        return
    connection.ensure_connection()
    statements: list[str] = []
    params: list[Any] = []
    for batch in batches:
        sql, fields, auto_dates = _statement(type(batch[0]), using, len(batch), batch[0].pk is not None)
        statements.append(sql)
        params += _values(batch, fields, auto_dates, connection)
    clauses = ", ".join(f"b{index} AS ({sql})" for index, sql in enumerate(statements[:-1]))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {clauses} {statements[-1]}" if clauses else statements[-1], params)
    for batch in batches:
        _saved(batch, using)


def written(build: Callable[P, M]) -> Callable[P, M]:
    """``build`` (which returns one unsaved row, e.g. from ``new``) followed by ``insert`` of that
    row: for the callers that write it alone, while others pass it to ``insert_together``."""

    def write(*args: P.args, **kwargs: P.kwargs) -> M:
        obj = build(*args, **kwargs)
        insert([obj])
        return obj

    write.__doc__ = f"Write the row ``{build.__name__}`` builds (same arguments)."
    return write
