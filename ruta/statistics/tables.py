"""An indicator's figures as a reader may see them: exact for national readers, protected otherwise.

Protection (small cells under k hidden, and the cells that would reveal them) must hold across
queries, not only within one: a reader may ask for the total with and without a filter, or for two
periods that differ by a few days, and subtract. So a protected answer is never computed directly:

1. the period is widened to whole months (two periods then differ by whole months only);
2. the *fine table* is counted: the indicator by month, by every dimension asked for and by every
   filtered dimension — over all their values, not only the filtered ones;
3. its cells are suppressed (primary and complementary, ``ruta.statistics.suppression``);
4. each published figure is the sum of the fine cells it covers, and is hidden as soon as one of
   them is hidden — so every published number is a sum of published fine cells only, and a filter
   or a period can only select among them.

Municipality-level figures are protected for every reader, national ones included (§4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from ruta.core.indicators import MONTH, Indicator
from ruta.core.periods import month_end, month_start
from ruta.statistics.reach import Reach
from ruta.statistics.routers import statistics_reads
from ruta.statistics.suppression import suppressed_cells

MAX_YEARS = 10
MUNICIPALITY = "municipality"


class TableError(ValueError):
    """A request the statistics cannot answer; ``field`` names what is wrong (for the 400 answer)."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Cell:
    dimensions: dict[str, Any]
    value: float | None
    base: int | None
    suppressed: bool


@dataclass(frozen=True)
class Table:
    indicator: Indicator
    by: tuple[str, ...]
    where: dict[str, str]
    since: date | None
    until: date | None
    protected: bool
    k: int
    cells: list[Cell] = field(default_factory=list)
    total: Cell = Cell({}, None, None, False)

    @property
    def any_suppressed(self) -> bool:
        return self.total.suppressed or any(cell.suppressed for cell in self.cells)


def small_cell_k() -> int:
    return int(settings.RUTA_SMALL_CELL_K)


def check_request(
    indicator: Indicator, *, since: date | None, until: date | None, by: Sequence[str], where: Mapping[str, str]
) -> tuple[date, date]:
    """The period, once the request is known to be answerable; otherwise ``TableError`` naming why."""
    for name, dimensions in (("by", by), ("filters", list(where))):
        unknown = indicator.unknown_dimensions(dimensions)
        if unknown:
            raise TableError(
                name,
                "unknown_dimension",
                gettext("unknown dimension for %(indicator)s: %(dimensions)s")
                % {"indicator": indicator.code, "dimensions": ", ".join(unknown)},
            )
    if MONTH in where:
        raise TableError(MONTH, "not_a_filter", gettext("the month is chosen with from and to, not as a filter"))
    if len(set(by)) != len(by):
        raise TableError("by", "repeated_dimension", gettext("a dimension is repeated in by"))
    if since is None or until is None:
        raise TableError("from" if since is None else "to", "required", gettext("a period needs both from and to"))
    if until < since:
        raise TableError("to", "before_from", gettext("the end of the period is before its start"))
    if until > _years_after(since, MAX_YEARS):
        raise TableError(
            "to", "period_too_long", gettext("the period is longer than %(years)s years") % {"years": MAX_YEARS}
        )
    return since, until


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def indicator_table(
    indicator: Indicator,
    *,
    reach: Reach,
    since: date | None,
    until: date | None,
    by: Sequence[str] = (),
    where: Mapping[str, str] | None = None,
) -> Table:
    where = dict(where or {})
    by = tuple(by)
    since, until = check_request(indicator, since=since, until=until, by=by, where=where)
    if reach.territorial:
        if "department" not in indicator.dimensions:
            raise TableError(
                "indicator",
                "not_territorial",
                gettext("%(indicator)s has no department dimension") % {"indicator": indicator.code},
            )
        chosen = where.setdefault("department", reach.departments[0])
        if chosen not in reach.departments:
            raise TableError("department", "outside_territory", gettext("that department is outside your territory"))
    protected = not reach.exact or MUNICIPALITY in by or MUNICIPALITY in where
    with statistics_reads():
        if protected:
            return _protected(indicator, since=month_start(since), until=month_end(until), by=by, where=where)
        return _exact(indicator, since=since, until=until, by=by, where=where)


def offered(candidates: Sequence[Indicator], reach: Reach) -> list[Indicator]:
    """The indicators a reader may read: a territorial reader only those that can be cut by department."""
    if reach.territorial:
        return [item for item in candidates if "department" in item.dimensions]
    return list(candidates)


def _exact(indicator: Indicator, *, since: date, until: date, by: tuple[str, ...], where: dict[str, str]) -> Table:
    counts = indicator.count(since=since, until=until, by=by, where=where)
    total_count = sum(counts.values()) if by else counts.get((), 0)
    values: Mapping[tuple[Any, ...], float | None] = dict(counts)
    total_value: float | None = total_count
    if indicator.measure is not None:
        values = indicator.values(since=since, until=until, by=by, where=where)
        total_value = indicator.values(since=since, until=until, where=where).get(())
    cells = [Cell(dict(zip(by, key, strict=True)), values.get(key), count, False) for key, count in _ordered(counts)]
    return Table(
        indicator,
        by,
        where,
        since,
        until,
        False,
        small_cell_k(),
        cells,
        Cell({}, total_value, total_count, False),
    )


def _protected(indicator: Indicator, *, since: date, until: date, by: tuple[str, ...], where: dict[str, str]) -> Table:
    k = small_cell_k()
    fine_dimensions = (MONTH, *[d for d in by if d != MONTH], *[d for d in where if d not in by])
    fine = indicator.count(since=since, until=until, by=fine_dimensions)
    hidden = suppressed_cells(fine, k)
    counts: dict[tuple[Any, ...], int] = {}
    hidden_cells: set[tuple[Any, ...]] = set()
    total = 0
    total_hidden = False
    for key, count in fine.items():
        values = dict(zip(fine_dimensions, key, strict=True))
        if any(_text(values[dimension]) != value for dimension, value in where.items()):
            continue
        short = tuple(values[dimension] for dimension in by)
        counts[short] = counts.get(short, 0) + count
        total += count
        if key in hidden:
            hidden_cells.add(short)
            total_hidden = True
    measured: Mapping[tuple[Any, ...], float | None] = {}
    total_measured: float | None = None
    if indicator.measure is not None:
        measured = indicator.values(since=since, until=until, by=by, where=where)
        total_measured = indicator.values(since=since, until=until, where=where).get(())
    cells = []
    for key, count in _ordered(counts):
        suppressed = key in hidden_cells or count < k
        value = measured.get(key) if indicator.measure is not None else count
        cells.append(
            Cell(
                dict(zip(by, key, strict=True)),
                None if suppressed else value,
                None if suppressed else count,
                suppressed,
            )
        )
    total_suppressed = total_hidden or 0 < total < k
    total_value = total_measured if indicator.measure is not None else total
    return Table(
        indicator,
        by,
        where,
        since,
        until,
        True,
        k,
        cells,
        Cell({}, None if total_suppressed else total_value, None if total_suppressed else total, total_suppressed),
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _ordered(counts: Mapping[tuple[Any, ...], int]) -> list[tuple[tuple[Any, ...], int]]:
    return sorted(counts.items(), key=lambda item: tuple((value is None, _text(value)) for value in item[0]))
