"""Small-cell protection: primary and complementary suppression, and that no query or pair of
queries gives back a hidden cell (totals with and without a filter, periods that differ by days)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest

from ruta.core.indicators import MONTH, Indicator, indicator
from ruta.statistics.reach import PUBLIC, Reach
from ruta.statistics.suppression import suppressed_cells
from ruta.statistics.tables import indicator_table
from tests.statistics.factories import noon, seed_statistics

K = 11


def test_primary_hides_counts_from_one_to_k_minus_one() -> None:
    counts = {("a",): 10, ("b",): 11, ("c",): 1, ("d",): 0, ("e",): 200}
    assert suppressed_cells(counts, K) == {("a",), ("c",)}


def test_one_dimension_a_single_hidden_cell_takes_the_next_smallest_with_it() -> None:
    counts = {("a",): 5, ("b",): 40, ("c",): 12, ("d",): 300}
    hidden = suppressed_cells(counts, K)
    assert hidden == {("a",), ("c",)}
    # The total (357) minus the published cells (340) now gives only a + c, not a.


def test_one_dimension_two_hidden_cells_need_nothing_more() -> None:
    assert suppressed_cells({("a",): 5, ("b",): 3, ("c",): 50}, K) == {("a",), ("b",)}


def test_two_dimensions_reach_a_fixpoint_row_and_column_wise() -> None:
    counts = {
        ("F", "01"): 4, ("F", "02"): 30, ("F", "03"): 25,
        ("M", "01"): 40, ("M", "02"): 35, ("M", "03"): 50,
    }  # fmt: skip
    hidden = suppressed_cells(counts, K)
    assert ("F", "01") in hidden
    # Every row and every column has zero or at least two hidden cells.
    for dimension in (0, 1):
        groups: dict[Any, list[Any]] = {}
        for key in counts:
            groups.setdefault(key[:dimension] + key[dimension + 1 :], []).append(key)
        for members in groups.values():
            assert len([key for key in members if key in hidden]) != 1, (dimension, members, hidden)
    # The row margin F (59) and the column margin 01 (44) no longer give the hidden cell back.
    assert ("F", "02") in hidden or ("F", "03") in hidden
    assert ("M", "01") in hidden


def _exhaustive_check(counts: dict[tuple[Any, ...], int]) -> None:
    hidden = suppressed_cells(counts, K)
    assert {key for key, value in counts.items() if 0 < value < K} <= hidden
    width = len(next(iter(counts)))
    for dimension in range(width):
        groups: dict[Any, list[Any]] = {}
        for key in counts:
            groups.setdefault(key[:dimension] + key[dimension + 1 :], []).append(key)
        for members in groups.values():
            assert len([key for key in members if key in hidden]) != 1 or len(members) == 1


@pytest.mark.parametrize("seed", range(25))
def test_random_tables_have_no_group_with_a_lone_hidden_cell(seed: int) -> None:
    import random

    rng = random.Random(seed)
    rows, columns = rng.randint(1, 5), rng.randint(2, 5)
    counts = {(r, c): rng.choice([1, 3, 9, 12, 20, 100]) for r, c in itertools.product(range(rows), range(columns))}
    _exhaustive_check(counts)


# --- Across queries, on the data ---------------------------------------------------------------


def _value(table: Any) -> int | None:
    return None if table.total.suppressed else table.total.value


def _total(item: Indicator, reach: Reach, since: date, until: date, where: dict[str, str] | None = None) -> Any:
    return indicator_table(item, reach=reach, since=since, until=until, where=where or {})


def _cells(item: Indicator, reach: Reach, since: date, until: date, by: Sequence[str], where: Any = None) -> Any:
    return indicator_table(item, reach=reach, since=since, until=until, by=by, where=where or {})


@pytest.fixture
def small_world(personas: dict[str, Any]) -> Any:
    """Alerts in Atlántida (01): 5 by hotline and 40 by the public web form in March 2026, 30 by
    the public web form in February — a hidden cell (5) beside figures anyone may see."""
    from ruta.alerts.models import Alert, Channel
    from ruta.geo.models import Municipality

    municipality = Municipality.objects.select_related("department").get(code="0101")
    rows = []
    for number, (channel, month, day) in enumerate(
        [(Channel.HOTLINE, 3, 12)] * 5 + [(Channel.PUBLIC_WEB, 3, 14)] * 40 + [(Channel.PUBLIC_WEB, 2, 14)] * 30
    ):
        moment = noon(2026, month, day)
        rows.append(
            Alert(
                reference=f"SUP-{number:04d}",
                tracking_hash=f"suppression-{number}",
                channel=channel,
                public_status_changed_at=moment,
                received_at=moment,
                department=municipality.department,
                municipality=municipality,
                priority="P3",
                acknowledge_due_at=moment + timedelta(days=1),
                first_response_due_at=moment + timedelta(days=7),
            )
        )
    Alert.objects.bulk_create(rows)
    return indicator("alerts.received")


@pytest.mark.django_db
def test_a_protected_cut_hides_the_small_cell_and_its_complement(small_world: Indicator) -> None:
    table = _cells(small_world, PUBLIC, date(2026, 3, 1), date(2026, 3, 31), ("channel",))
    by_channel = {cell.dimensions["channel"]: cell for cell in table.cells}
    assert by_channel["hotline"].suppressed and by_channel["hotline"].value is None
    assert by_channel["public_web"].suppressed  # the complement: 45 − 40 would give 5
    national = _cells(small_world, Reach(exact=True), date(2026, 3, 1), date(2026, 3, 31), ("channel",))
    assert {cell.dimensions["channel"]: cell.value for cell in national.cells} == {"hotline": 5, "public_web": 40}


@pytest.mark.django_db
def test_differencing_a_total_with_and_without_a_filter_recovers_nothing(small_world: Indicator) -> None:
    since, until = date(2026, 3, 1), date(2026, 3, 31)
    everything = _value(_total(small_world, PUBLIC, since, until))
    web_only = _value(_total(small_world, PUBLIC, since, until, {"channel": "public_web"}))
    hotline = _value(_total(small_world, PUBLIC, since, until, {"channel": "hotline"}))
    assert hotline is None
    # The attacker's subtraction needs both numbers; at least one of them is withheld.
    assert everything is None or web_only is None
    if everything is not None and web_only is None:
        assert everything == 45  # published, but alone it says nothing about the hotline's 5


@pytest.mark.django_db
def test_differencing_two_periods_recovers_nothing(small_world: Indicator) -> None:
    """March's hotline alerts were all on the 12th: periods ending on the 11th and on the 12th would
    differ by exactly them, but protected periods are whole months."""
    since = date(2026, 2, 1)
    before = _total(small_world, PUBLIC, since, date(2026, 3, 11), {"channel": "hotline"})
    after = _total(small_world, PUBLIC, since, date(2026, 3, 12), {"channel": "hotline"})
    assert _value(before) == _value(after)
    web_before = _value(_total(small_world, PUBLIC, since, date(2026, 3, 11)))
    web_after = _value(_total(small_world, PUBLIC, since, date(2026, 3, 12)))
    assert web_before == web_after
    february = _value(_total(small_world, PUBLIC, date(2026, 2, 1), date(2026, 2, 28)))
    both = _value(_total(small_world, PUBLIC, date(2026, 2, 1), date(2026, 3, 31)))
    assert february == 30
    assert both is None or both - february != 5


@pytest.mark.django_db
def test_every_pair_of_published_figures_hides_the_small_cell(small_world: Indicator) -> None:
    """Try every total and cell a public reader can get for March and February–March, every
    filter and cut by channel, and check no difference of two published numbers equals 5."""
    published: list[int] = []
    for since, until in [(date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 3, 31))]:
        for where in [{}, {"channel": "hotline"}, {"channel": "public_web"}, {"department": "01"}]:
            for by in [(), ("channel",), (MONTH,), ("department",)]:
                if set(by) & set(where):
                    continue
                table = _cells(small_world, PUBLIC, since, until, by, where)
                published += [cell.value for cell in [*table.cells, table.total] if not cell.suppressed]
    assert published, "a public reader sees some figures"
    assert 5 not in published
    assert not [(a, b) for a in published for b in published if a - b == 5]


@pytest.mark.django_db
def test_municipality_cells_are_protected_even_for_national_readers(small_world: Indicator) -> None:
    table = _cells(
        small_world, Reach(exact=True), date(2026, 3, 1), date(2026, 3, 31), ("municipality",), {"channel": "hotline"}
    )
    assert table.protected
    assert all(cell.suppressed for cell in table.cells)


@pytest.mark.django_db
def test_territorial_readers_only_reach_their_department(personas: dict[str, Any]) -> None:
    from ruta.statistics.reach import reach_of
    from ruta.statistics.tables import TableError

    seed_statistics(personas, alerts=120)
    reach = reach_of(personas["territorial_analyst"])
    assert reach.departments == ("01",) and not reach.exact
    item = indicator("alerts.received")
    table = _cells(item, reach, date(2026, 1, 1), date(2026, 4, 30), ("department",))
    assert {cell.dimensions["department"] for cell in table.cells} <= {"01"}
    with pytest.raises(TableError):
        _cells(item, reach, date(2026, 1, 1), date(2026, 4, 30), (), {"department": "08"})
