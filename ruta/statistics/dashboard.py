"""What a dashboard shows: every indicator the reader may read, each with its total, its months and
one chosen cut, plus a map of one indicator by department. Pages render this; the JSON for the
charts and the map is built here too, so the page's script only draws."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ruta.core import rollups
from ruta.core.indicators import MONTH, Indicator, indicators
from ruta.policy.access import Reader
from ruta.statistics.drilldown import list_url
from ruta.statistics.labels import Labeller
from ruta.statistics.reach import Reach
from ruta.statistics.tables import Cell, Table, indicator_table, offered

MAP_INDICATOR = "alerts.received"


@dataclass(frozen=True)
class Row:
    label: str
    cell: Cell
    list_url: str | None


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    total: Cell
    months: Table
    cut: Table | None
    rows: list[Row]
    list_url: str | None

    @property
    def suppressed_any(self) -> bool:
        return self.months.any_suppressed or bool(self.cut and self.cut.any_suppressed)


@dataclass(frozen=True)
class Dashboard:
    reach: Reach
    since: date
    until: date
    cut_by: str
    where: dict[str, str]
    figures: list[Figure]
    map_indicator: Indicator | None
    map_cells: dict[str, dict[str, Any]]

    @property
    def protected(self) -> bool:
        return any(figure.months.protected for figure in self.figures)

    def charts(self) -> dict[str, Any]:
        """The charts' data, for ``json_script``: per indicator its months and its cut."""
        return {
            figure.indicator.code: {
                "label": str(figure.indicator.label),
                "months": [_point(str(cell.dimensions[MONTH]), cell) for cell in figure.months.cells],
                "cut": [_point(row.label, row.cell) for row in figure.rows],
            }
            for figure in self.figures
        }


def _point(label: str, cell: Cell) -> dict[str, Any]:
    return {"label": label, "value": cell.value, "suppressed": cell.suppressed}


# Each indicator's rollup is read once for all its tables (months, the cut, the map).
@rollups.remembering
def build_dashboard(
    *,
    user: Reader,
    reach: Reach,
    since: date,
    until: date,
    cut_by: str,
    where: Mapping[str, str],
    candidates: Sequence[Indicator] | None = None,
    map_code: str = MAP_INDICATOR,
) -> Dashboard:
    labels = Labeller()
    figures = []
    chosen = offered(list(candidates if candidates is not None else indicators()), reach)
    usable_where = dict(where)
    for item in chosen:
        if item.unknown_dimensions(list(usable_where)):
            continue  # a filter this indicator cannot apply: leaving it out would show other records
        months = indicator_table(item, reach=reach, since=since, until=until, by=(MONTH,), where=usable_where)
        cut = None
        rows: list[Row] = []
        if cut_by and cut_by != MONTH and cut_by in item.dimensions and cut_by not in usable_where:
            cut = indicator_table(item, reach=reach, since=since, until=until, by=(cut_by,), where=usable_where)
            for cell in cut.cells:
                value = cell.dimensions[cut_by]
                link = list_url(
                    user,
                    item.code,
                    where={**months.where, cut_by: "" if value is None else str(value)},
                    since=since,
                    until=until,
                )
                rows.append(Row(labels(cut_by, value), cell, None if cell.suppressed else link))
        figures.append(
            Figure(
                item,
                months.total,
                months,
                cut,
                rows,
                list_url(user, item.code, where=months.where, since=since, until=until),
            )
        )
    map_indicator = next((item for item in chosen if item.code == map_code and "department" in item.dimensions), None)
    map_cells: dict[str, dict[str, Any]] = {}
    if map_indicator is not None:
        map_where = {key: value for key, value in where.items() if key != "department"}
        if not map_indicator.unknown_dimensions(list(map_where)):
            by_department = indicator_table(
                map_indicator, reach=reach, since=since, until=until, by=("department",), where=map_where
            )
            for cell in by_department.cells:
                code = cell.dimensions["department"]
                if code is not None:
                    map_cells[str(code)] = {
                        "label": labels("department", code),
                        "value": cell.value,
                        "suppressed": cell.suppressed,
                    }
    return Dashboard(reach, since, until, cut_by, dict(where), figures, map_indicator, map_cells)
