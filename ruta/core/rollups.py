"""Monthly rollups: an indicator's counts kept per month and per combination of a few dimensions, so
the commission's dashboard does not read a million alerts each time (DESIGN §7, scale path).

Exact by construction, not by freshness. A count reads a month from the rollup only when that month
lies whole inside the period, is older than the current month, has been counted and has not been
marked changed since; every other stretch of the period is counted from the records, and the two
are added. So a figure equals the raw count at any moment, whether or not the worker has run.

Writes mark the months they touch *in their own transaction*: ``post_save``/``post_delete`` on the
counted model (and on every model a kept dimension or the condition reaches through a relation,
e.g. the person behind an identification decision), and ``mark_changed(queryset)`` from services
that update rows in bulk (``QuerySet.update`` sends no signal). Months of the current month are never
marked: it is always counted from the records. The worker (``refresh``) recounts marked months and
new whole months, then deletes exactly the marks it read, so a change committed while it counts
keeps its mark and is read from the records until the next pass. Bulk loaders (demo data, the
benchmark's synthetic generator) write without signals and rebuild (``refresh(full=True)``)."""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, partial, wraps
from itertools import repeat
from operator import itemgetter
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.utils import timezone

from ruta.core import rows
from ruta.core.models import IndicatorRollup, RollupMark, RollupState
from ruta.core.periods import MONTH, month_end, month_start, next_month, period_filter

Counts = dict[tuple[Any, ...], int]
P = ParamSpec("P")
R = TypeVar("R")
# (since, until, by) → every value (an integer: microseconds for a duration) per cell.
RawSamples = Callable[[date | None, date | None, Sequence[str]], dict[tuple[Any, ...], list[int]]]


@dataclass(frozen=True)
class Rollup:
    """What is kept for one indicator: its records (``condition`` over ``model``, without the
    demonstration filter: that is the ``synthetic`` flag kept per row), dated by ``date_field``, by
    month and by the ``kept`` dimensions (code → path)."""

    indicator: str
    model: type[models.Model]
    date_field: str
    kept: tuple[tuple[str, str], ...]
    condition: Q | None = None
    synthetic: str | None = None
    dated_by_day: bool = False
    # An expression giving each record's value (a duration): kept as sorted runs, for medians.
    value: Any = None
    dimensions: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", frozenset(code for code, _path in self.kept))

    @property
    def source(self) -> str:
        """What the marks are kept for: the counted model and the date its months come from."""
        return f"{self.model._meta.label_lower}.{self.date_field}"

    @property
    def family(self) -> tuple[Any, ...]:
        """Rollups that differ only by their condition are counted from the records together."""
        return (self.model._meta.label_lower, self.date_field, self.kept, self.synthetic, self.dated_by_day)

    @cached_property
    def signature(self) -> str:
        definition = [
            self.indicator,
            self.source,
            self.kept,
            str(self.condition),
            self.synthetic,
            self.dated_by_day,
            str(self.value),
        ]
        return hashlib.sha256(repr(definition).encode()).hexdigest()[:32]

    def records(self) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(self.condition or Q())

    def answers(self, by: Sequence[str]) -> bool:
        return all(dimension == MONTH or dimension in self.dimensions for dimension in by)

    @cached_property
    def relation_paths(self) -> frozenset[str]:
        """Every relation prefix a kept path, the condition or the synthetic flag goes through:
        ``case__municipality__department__code`` gives ``case``, ``case__municipality`` and
        ``case__municipality__department``."""
        paths = [path for _code, path in self.kept]
        if self.synthetic:
            paths.append(self.synthetic)
        paths.extend(_condition_paths(self.condition))
        prefixes: set[str] = set()
        for path in paths:
            parts = path.split("__")
            model: Any = self.model
            for index, part in enumerate(parts):
                try:
                    model_field = model._meta.get_field(part)
                except FieldDoesNotExist:  # a lookup (``lte``, ``isnull``) ends the path
                    break
                if not model_field.is_relation or model_field.related_model is None:
                    break
                prefixes.add("__".join(parts[: index + 1]))
                model = model_field.related_model
        return frozenset(prefixes)


def _condition_paths(condition: Q | None) -> list[str]:
    if condition is None:
        return []
    paths: list[str] = []
    for child in condition.children:
        if isinstance(child, Q):
            paths.extend(_condition_paths(child))
        elif isinstance(child, tuple):
            paths.append(child[0])
            value = child[1]
            if isinstance(value, models.F):
                paths.append(value.name)
    return paths


_ROLLUPS: dict[str, Rollup] = {}
_CONNECTED: set[tuple[type[models.Model], str]] = set()
_SOURCES: dict[type[models.Model], dict[str, str]] = {}
_REACHING: dict[type[models.Model], list[tuple[Rollup, str]]] = {}
_READY = False


def register(rollup: Rollup) -> Rollup:
    existing = _ROLLUPS.get(rollup.indicator)
    if existing is not None and existing.signature != rollup.signature:
        raise ImproperlyConfigured(f"rollup {rollup.indicator!r} is registered twice")
    _ROLLUPS[rollup.indicator] = rollup
    _SOURCES.clear()
    _REACHING.clear()
    if _READY:
        _connect(rollup)
    return rollup


def registered() -> list[Rollup]:
    return list(_ROLLUPS.values())


def connect_all() -> None:
    """Called once every app's models are loaded: relations can then be followed."""
    global _READY
    _READY = True
    for rollup in _ROLLUPS.values():
        _connect(rollup)


def _connect(rollup: Rollup) -> None:
    if (rollup.model, "") not in _CONNECTED:
        _CONNECTED.add((rollup.model, ""))
        uid = f"ruta.rollups.{rollup.model._meta.label_lower}"
        post_init.connect(_loaded, sender=rollup.model, dispatch_uid=f"{uid}.init", weak=False)
        pre_save.connect(_before_save, sender=rollup.model, dispatch_uid=f"{uid}.pre", weak=False)
        post_save.connect(_after_save, sender=rollup.model, dispatch_uid=f"{uid}.post", weak=False)
        post_delete.connect(_after_delete, sender=rollup.model, dispatch_uid=f"{uid}.delete", weak=False)
        rows.insert_hook(rollup.model, _inserted, replaces=(_before_save, _after_save))
    for path in rollup.relation_paths:
        related = _target(rollup.model, path)
        if (related, "related") in _CONNECTED:
            continue
        _CONNECTED.add((related, "related"))
        uid = f"ruta.rollups.related.{related._meta.label_lower}"
        post_save.connect(_related_changed, sender=related, dispatch_uid=f"{uid}.post", weak=False)
        post_delete.connect(_related_changed, sender=related, dispatch_uid=f"{uid}.delete", weak=False)


def _based_on(model: type[models.Model]) -> list[Rollup]:
    """One rollup per mark source counted on ``model``: the months to mark depend on the source only."""
    return list({rollup.source: rollup for rollup in _ROLLUPS.values() if rollup.model is model}.values())


def _reaching(model: type[models.Model]) -> list[tuple[Rollup, str]]:
    """The rollups whose counted rows depend on ``model`` through a relation, with the path to it;
    one per (mark source, path), as the months to mark depend on nothing else. Asked on every save
    of such a model, so kept until the next registration."""
    found = _REACHING.get(model)
    if found is None:
        unique = {
            (rollup.source, path): (rollup, path)
            for rollup in _ROLLUPS.values()
            for path in rollup.relation_paths
            if _target(rollup.model, path) is model
        }
        found = _REACHING[model] = list(unique.values())
    return found


def _target(model: Any, path: str) -> Any:
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def current_month() -> date:
    return month_start(timezone.localdate())


def month_of(value: Any) -> date | None:
    """The (local) month a stored date or datetime falls in."""
    if value is None:
        return None
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return month_start(value)


def _mark(sources_months: Iterable[tuple[str, date | None]], using: str) -> None:
    """Marks for past months only: the current month is always counted from the records."""
    current = current_month()
    wanted = {(source, month) for source, month in sources_months if month is not None and month < current}
    if wanted:
        RollupMark.objects.using(using).bulk_create(RollupMark(source=s, month=m) for s, m in sorted(wanted))


def _sources(model: type[models.Model]) -> dict[str, str]:
    """The counted model's date fields, by mark source (several rollups may share one); asked for
    every instance loaded, so kept until the next registration."""
    sources = _SOURCES.get(model)
    if sources is None:
        sources = _SOURCES[model] = {rollup.source: rollup.date_field for rollup in _based_on(model)}
    return sources


def _loaded(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Remember the dates a row was read with: a save that moves a row to another month must also
    mark the month it leaves, and this costs no query."""
    instance._rollup_dates = {  # type: ignore[attr-defined]
        name: instance.__dict__[name] for name in set(_sources(sender).values()) if name in instance.__dict__
    }


def _before_save(sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any) -> None:
    if instance._state.adding or instance.pk is None:
        return
    known = getattr(instance, "_rollup_dates", {})
    missing = sorted(set(_sources(sender).values()) - set(known))
    if missing:  # read with the date deferred, or built by hand around an existing key
        known = {**known, **(sender._base_manager.using(using).filter(pk=instance.pk).values(*missing).first() or {})}
    instance._rollup_dates_before = known  # type: ignore[attr-defined]


def _after_save(sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any) -> None:
    before = getattr(instance, "_rollup_dates_before", {})
    instance._rollup_dates = {field: getattr(instance, field) for field in _sources(sender).values()}  # type: ignore[attr-defined]
    marks: list[tuple[str, date | None]] = []
    for source, date_field in _sources(sender).items():
        marks.append((source, month_of(getattr(instance, date_field))))
        marks.append((source, month_of(before.get(date_field))))
    _mark(marks, using)


def _inserted(objs: Sequence[models.Model], using: str) -> None:
    """Rows written by ``ruta.core.rows`` (intake's plain inserts): no save signal, same marks."""
    _mark(
        ((source, month_of(getattr(obj, field))) for obj in objs for source, field in _sources(type(obj)).items()),
        using,
    )


def _after_delete(sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any) -> None:
    _mark(((source, month_of(getattr(instance, field))) for source, field in _sources(sender).items()), using)


def _related_changed(sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any) -> None:
    marks: list[tuple[str, date | None]] = []
    for rollup, path in _reaching(sender):
        affected = rollup.model._base_manager.using(using).filter(**{path: instance.pk})
        marks.extend((rollup.source, month) for month in _months(rollup, affected))
    _mark(marks, using)


def _months(rollup: Rollup, records: models.QuerySet[Any]) -> set[date]:
    """The past months ``records`` are dated in."""
    bound = period_filter(rollup.date_field, None, current_month(), dated_by_day=rollup.dated_by_day, exclusive=True)
    months = records.filter(**bound).annotate(_month=TruncMonth(rollup.date_field)).values_list("_month", flat=True)
    return {month for month in (month_of(value) for value in months.distinct().order_by()) if month is not None}


def mark_changed(queryset: models.QuerySet[Any]) -> None:
    """For services that change rows with ``QuerySet.update``: mark the months of every rollup those
    rows count in, directly or through a relation. Call it in the same transaction, before an update
    that could move a row's date, and it covers the row where it was; the new place is marked by
    calling it again afterwards."""
    model = queryset.model
    using = queryset.db
    marks: list[tuple[str, date | None]] = []
    for rollup in _based_on(model):
        marks.extend((rollup.source, month) for month in _months(rollup, queryset))
    for rollup, path in _reaching(model):
        affected = rollup.model._base_manager.using(using).filter(**{f"{path}__in": queryset.values("pk")})
        marks.extend((rollup.source, month) for month in _months(rollup, affected))
    _mark(marks, using)


# Reading -------------------------------------------------------------------------------------------


_MEMO: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("ruta_rollups_memo", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Within it, each rollup is read once per period, at full detail: the tables of one dashboard
    (months, a cut, the map, a share's two parts) then cost one read per indicator, not one each."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def remembering(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run inside ``remembered()``."""

    @wraps(function)
    def within(*args: P.args, **kwargs: P.kwargs) -> R:
        with remembered():
            return function(*args, **kwargs)

    return within


def remembered_value(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """``compute()`` once per ``key`` inside ``remembered()`` (every time outside it): for figures
    derived from a rollup that one page asks for more than once."""
    return _remember(key, compute)


def _remember(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _covered(rollup: Rollup, since: date, until: date) -> list[date]:
    """The months of [since, until] the rollup may answer for: whole, counted, not marked since."""
    states, marks = _remember(("bookkeeping",), _bookkeeping)
    state = states.get(rollup.indicator)
    if state is None or state[0] != rollup.signature:
        return []
    through = state[1]
    marked = marks.get(rollup.source, set())
    return [
        month
        for month in _months_between(month_start(since), month_start(until))
        if month >= since and month_end(month) <= until and month < through and month not in marked
    ]


def _bookkeeping() -> tuple[dict[str, tuple[str, date]], dict[str, set[date]]]:
    """Every rollup's signature and ``through``, and the marked months per source: two small reads
    for a whole dashboard."""
    states = {
        indicator: (signature, through)
        for indicator, signature, through in RollupState.objects.values_list("indicator", "signature", "through")
    }
    marks: dict[str, set[date]] = {}
    for source, month in RollupMark.objects.values_list("source", "month").distinct().order_by():
        marks.setdefault(source, set()).add(month)
    return states, marks


def _detail(rollup: Rollup) -> tuple[str, ...]:
    return (MONTH, *(code for code, _path in rollup.kept))


def _project(
    detail: Mapping[tuple[Any, ...], Any], rollup: Rollup, by: Sequence[str]
) -> list[tuple[tuple[Any, ...], Any]]:
    positions = _detail(rollup)
    if tuple(by) == positions:
        return list(detail.items())
    if not by:
        return [((), value) for value in detail.values()]
    pick = itemgetter(*(positions.index(dimension) for dimension in by))
    if len(by) == 1:
        return [((pick(key),), value) for key, value in detail.items()]
    return [(pick(key), value) for key, value in detail.items()]


def rolled_counts(
    rollup: Rollup,
    *,
    since: date | None,
    until: date | None,
    by: Sequence[str],
    with_synthetic: bool,
) -> Counts | None:
    """The counts for the period, from the rollup where it may be trusted and from the records for
    the rest; None when the rollup cannot help."""
    if since is None or until is None or until < since or not rollup.answers(by):
        return None
    asked = ("counts", rollup.indicator, since, until, with_synthetic)
    detail = _remember(asked, lambda: _detailed_counts(rollup, since, until, with_synthetic))
    if detail is None:
        return None
    return dict(_remember((*asked, tuple(by)), lambda: _summed(detail, rollup, by)))


def _summed(detail: Counts, rollup: Rollup, by: Sequence[str]) -> Counts:
    result: Counts = {}
    for cell, number in _project(detail, rollup, by):
        result[cell] = result.get(cell, 0) + number
    if not by:
        result.setdefault((), 0)
    return result


def _detailed_counts(rollup: Rollup, since: date, until: date, with_synthetic: bool) -> Counts | None:
    covered = _covered(rollup, since, until)
    if not covered:
        return None
    detail: Counts = {}
    for key, number in _kept_rows(rollup, covered, with_synthetic, "count"):
        detail[key] = detail.get(key, 0) + number
    for start, end in _uncovered(since, until, covered):
        stretch = _remember(
            ("records", rollup.family, start, end, with_synthetic),
            partial(_family_counts, rollup.family, start, end, with_synthetic),
        )
        for key, number in stretch.get(rollup.indicator, {}).items():
            detail[key] = detail.get(key, 0) + number
    return detail


def _family_counts(family: tuple[Any, ...], since: date, until: date, with_synthetic: bool) -> dict[str, Counts]:
    """The records' counts over [since, until] at full detail for every rollup of one family (same
    model, date, kept dimensions and demonstration flag, different conditions): one query with one
    filtered count each, instead of one query per indicator."""
    members = [rollup for rollup in _ROLLUPS.values() if rollup.family == family and rollup.value is None]
    first = members[0]
    records = first.model._default_manager.filter(
        **period_filter(first.date_field, since, until, dated_by_day=first.dated_by_day)
    )
    if first.synthetic and not with_synthetic:
        records = records.filter(**{first.synthetic: False})
    paths = [path for _code, path in first.kept]
    # Counting the date (never null inside the period) rather than the key keeps the read in the index.
    counted = {
        f"_n{index}": Count(first.date_field, filter=member.condition) if member.condition else Count("*")
        for index, member in enumerate(members)
    }
    grouped = (
        records.annotate(_month=TruncMonth(first.date_field)).values("_month", *paths).annotate(**counted).order_by()
    )
    found: dict[str, Counts] = {member.indicator: {} for member in members}
    for row in grouped:
        month = month_of(row["_month"])
        if month is None:
            continue
        key = (month.strftime("%Y-%m"), *(row[path] for path in paths))
        for index, member in enumerate(members):
            if row[f"_n{index}"]:
                found[member.indicator][key] = row[f"_n{index}"]
    return found


def _kept_rows(
    rollup: Rollup, covered: Sequence[date], with_synthetic: bool, column: str
) -> Iterator[tuple[tuple[Any, ...], Any]]:
    kept = IndicatorRollup.objects.filter(indicator=rollup.indicator, month__in=covered)
    if not with_synthetic:
        kept = kept.filter(synthetic=False)
    # A few hundred combinations repeat month after month: each month and each key is decoded once.
    months: dict[date, tuple[str]] = {}
    keys: dict[str, tuple[Any, ...]] = {}
    for month, key, value in kept.values_list("month", "key", column):
        label = months.get(month)
        if label is None:
            label = months[month] = (month.strftime("%Y-%m"),)
        values = keys.get(key)
        if values is None:
            values = keys[key] = tuple(json.loads(key))
        yield label + values, value


def rolled_samples(
    rollup: Rollup,
    raw: RawSamples,
    *,
    since: date | None,
    until: date | None,
    by: Sequence[str],
    with_synthetic: bool,
) -> dict[tuple[Any, ...], list[array[int]]] | None:
    """For a rollup that keeps its records' values (``Rollup.value``): every value per cell of
    ``by``, as sorted runs (the rollup's for covered months, the records' for the rest)."""
    if since is None or until is None or until < since or not rollup.answers(by):
        return None
    detail = _remember(
        ("samples", rollup.indicator, since, until, with_synthetic),
        lambda: _detailed_samples(rollup, raw, since, until, with_synthetic),
    )
    if detail is None:
        return None
    cells: dict[tuple[Any, ...], list[array[int]]] = {}
    for cell, runs in _project(detail, rollup, by):
        cells.setdefault(cell, []).extend(runs)
    return cells


def _detailed_samples(
    rollup: Rollup, raw: RawSamples, since: date, until: date, with_synthetic: bool
) -> dict[tuple[Any, ...], list[array[int]]] | None:
    covered = _covered(rollup, since, until)
    if not covered:
        return None
    detail: dict[tuple[Any, ...], list[array[int]]] = {}
    for key, packed in _kept_rows(rollup, covered, with_synthetic, "samples"):
        detail.setdefault(key, []).append(_unpacked(packed))
    for start, end in _uncovered(since, until, covered):
        for key, values in raw(start, end, _detail(rollup)).items():
            detail.setdefault(key, []).append(array("q", sorted(values)))
    return detail


def middle_values(runs: Sequence[array[int]]) -> tuple[int, int] | None:
    """The two middle values (the same one twice for an odd count) of the values in ``runs``, each
    sorted, without merging them: a search over the values, counting with bisection in each run, so
    a median over a year of responses costs a few thousand bisections instead of a sort."""
    total = sum(len(run) for run in runs)
    if not total:
        return None
    lower = _kth(runs, (total - 1) // 2)
    upper = lower if total % 2 else _kth(runs, total // 2, low=lower)
    return lower, upper


def _kth(runs: Sequence[array[int]], rank: int, *, low: int | None = None) -> int:
    """The value of 0-based ``rank`` in the sorted union of ``runs``."""
    filled = [run for run in runs if run]
    low = min(run[0] for run in filled) if low is None else low
    high = max(run[-1] for run in filled)
    while low < high:
        middle = (low + high) // 2
        if sum(map(bisect_right, filled, repeat(middle))) > rank:
            high = middle
        else:
            low = middle + 1
    return low


def _packed(values: list[int]) -> bytes:
    """Sorted 64-bit integers, little-endian whatever the machine."""
    packed = array("q", sorted(values))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpacked(data: bytes | memoryview | None) -> array[int]:
    values = array("q")
    if data:
        values.frombytes(bytes(data))
        if sys.byteorder == "big":
            values.byteswap()
    return values


def _months_between(first: date, last: date) -> list[date]:
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def _uncovered(since: date, until: date, covered: Sequence[date]) -> list[tuple[date, date]]:
    """The stretches of [since, until] outside the covered months, as inclusive day ranges."""
    stretches = []
    start = since
    for month in sorted(covered):
        if start < month:
            stretches.append((start, date.fromordinal(month.toordinal() - 1)))
        start = date.fromordinal(month_end(month).toordinal() + 1)
    if start <= until:
        stretches.append((start, until))
    return stretches


# Keeping -------------------------------------------------------------------------------------------


def refresh(*, full: bool = False) -> dict[str, int]:
    """Recount what changed (or everything with ``full``); the rows kept per indicator."""
    written: dict[str, int] = {}
    by_source: dict[str, list[Rollup]] = {}
    for rollup in _ROLLUPS.values():
        by_source.setdefault(rollup.source, []).append(rollup)
    for source, rollups in by_source.items():
        written.update(_refresh_source(source, rollups, full=full))
    return written


def _refresh_source(source: str, rollups: Sequence[Rollup], *, full: bool) -> dict[str, int]:
    current = current_month()
    written = {}
    with transaction.atomic():
        marks = list(RollupMark.objects.filter(source=source).values_list("pk", "month"))
        marked = {month for _pk, month in marks}
        for rollup in rollups:
            state = RollupState.objects.select_for_update().filter(indicator=rollup.indicator).first()
            months: set[date] | None
            if full or state is None or state.signature != rollup.signature:
                IndicatorRollup.objects.filter(indicator=rollup.indicator).delete()
                months = None
            else:
                months = {month for month in marked if month < state.through}
                if state.through < current:
                    months.update(_months_between(state.through, date.fromordinal(current.toordinal() - 1)))
                IndicatorRollup.objects.filter(indicator=rollup.indicator, month__in=months).delete()
            recounted = list(_count(rollup, months, current))
            IndicatorRollup.objects.bulk_create(recounted, batch_size=2000)
            RollupState.objects.update_or_create(
                indicator=rollup.indicator,
                defaults={"signature": rollup.signature, "through": current, "refreshed_at": timezone.now()},
            )
            written[rollup.indicator] = len(recounted)
        RollupMark.objects.filter(pk__in=[pk for pk, _month in marks]).delete()
    return written


def _count(rollup: Rollup, months: set[date] | None, current: date) -> Iterable[IndicatorRollup]:
    """The rollup's rows for ``months`` (every month before ``current`` when None)."""
    records = rollup.records().filter(
        **period_filter(rollup.date_field, None, current, dated_by_day=rollup.dated_by_day, exclusive=True)
    )
    if months is not None:
        if not months:
            return
        within = Q()
        for month in months:
            within |= Q(
                **period_filter(
                    rollup.date_field, month, next_month(month), dated_by_day=rollup.dated_by_day, exclusive=True
                )
            )
        records = records.filter(within)
    paths = [path for _code, path in rollup.kept]
    columns = ["_month", *paths] + ([rollup.synthetic] if rollup.synthetic else [])
    records = records.annotate(_month=TruncMonth(rollup.date_field))
    if rollup.value is not None:
        yield from _sorted_runs(rollup, records, columns, paths)
        return
    grouped = records.values(*columns).annotate(_count=Count("*")).order_by()
    for row in grouped.iterator(chunk_size=5000):
        counted = month_of(row["_month"])
        if counted is None:
            continue
        yield IndicatorRollup(
            indicator=rollup.indicator,
            month=counted,
            synthetic=bool(row[rollup.synthetic]) if rollup.synthetic else False,
            key=json.dumps([row[path] for path in paths]),
            count=row["_count"],
        )


def _sorted_runs(
    rollup: Rollup, records: models.QuerySet[Any], columns: list[str], paths: list[str]
) -> Iterator[IndicatorRollup]:
    """One row per group with every value of the group, sorted (medians are not additive: a month's
    median cannot be combined with another's, its values can)."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for row in records.annotate(_value=rollup.value).values_list(*columns, "_value").iterator(chunk_size=5000):
        groups.setdefault(row[:-1], []).append(as_integer(row[-1]))
    for group, values in groups.items():
        counted = month_of(group[0])
        if counted is None:
            continue
        yield IndicatorRollup(
            indicator=rollup.indicator,
            month=counted,
            synthetic=bool(group[-1]) if rollup.synthetic else False,
            key=json.dumps(list(group[1 : 1 + len(paths)])),
            count=len(values),
            samples=_packed(values),
        )


def as_integer(value: Any) -> int:
    """A kept value as an integer: a duration in microseconds."""
    if isinstance(value, timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    return int(value)
