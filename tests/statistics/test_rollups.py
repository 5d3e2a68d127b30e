"""Monthly rollups (``ruta.core.rollups``) give the figures the records give, at every moment: after a
rebuild; after changes the worker has not counted yet (a save, a row moving to another month, a
deletion, a person's sex corrected, a case's stage recomputed by a bulk update, persons merged); and
after the worker's pass. A change committed while the worker counts keeps its mark; the current month
is never marked and is always read from the records; a changed definition is recounted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ruta.alerts.intake import alert_submit, clean_submission
from ruta.alerts.models import Alert
from ruta.cases.models import Case, IdentificationDecision
from ruta.cases.services import case_stage_refresh
from ruta.core import rollups
from ruta.core.indicators import MONTH, Indicator, including_synthetic, indicator, records_indicator
from ruta.core.models import IndicatorRollup, RollupMark, RollupState
from ruta.persons.models import Sex
from ruta.persons.services import person_merge
from ruta.referrals.models import Referral
from tests.alerts.conftest import valid_payload
from tests.persons.factories import make_person
from tests.statistics.factories import noon, seed_statistics
from tests.statistics.test_exactness import SINCE, SPECS, UNTIL, raw_counts

pytestmark = pytest.mark.django_db

ROLLED = sorted(rollup.indicator for rollup in rollups.registered())


def _served_by_rollup(code: str, by: Sequence[str]) -> bool:
    """True when the whole of SINCE–UNTIL comes from the rollup, without reading a counted record."""
    rollup = next(item for item in rollups.registered() if item.indicator == code)
    with CaptureQueriesContext(connection) as captured:
        counted = rollups.rolled_counts(rollup, since=SINCE, until=UNTIL, by=by, with_synthetic=False)
    table = rollup.model._meta.db_table
    return counted is not None and not any(table in query["sql"] for query in captured.captured_queries)


def _assert_equal_to_raw_sql() -> None:
    for code, spec in SPECS.items():
        item = indicator(code)
        assert item.count(since=SINCE, until=UNTIL) == raw_counts(spec, None, period=True), code
        for dimension in [MONTH, *spec.dimensions]:
            expected = raw_counts(spec, dimension, period=True)
            assert item.count(since=SINCE, until=UNTIL, by=(dimension,)) == expected, (code, dimension)


@pytest.fixture
def seeded(personas: dict[str, Any]) -> Any:
    return seed_statistics(personas)


def test_the_dashboard_figures_are_kept_in_rollups() -> None:
    expected = {
        "alerts.received",
        "alerts.acknowledged_in_time",
        "alerts.acknowledgement_due.settled",
        "alerts.first_response_median_hours",
        "cases.opened",
        "screening.screenings",
        "persons.identification_decisions",
        "persons.identified",
        "persons.child_victims",
        "referrals.sent",
        "referrals.answered_in_time",
        "referrals.answer_due.settled",
    }
    assert expected <= set(ROLLED)


def test_after_a_rebuild_every_figure_equals_raw_sql_and_whole_months_come_from_the_rollup(seeded: Any) -> None:
    written = rollups.refresh(full=True)
    assert all(written[code] > 0 for code in ROLLED), written
    _assert_equal_to_raw_sql()
    for rollup in rollups.registered():
        if rollup.indicator in ROLLED:
            for by in [(), (MONTH,), *[(dimension,) for dimension in sorted(rollup.dimensions)]]:
                assert _served_by_rollup(rollup.indicator, by), (rollup.indicator, by)
            assert not rollup.answers(("municipality",)) or "municipality" in rollup.dimensions


def test_a_cut_outside_the_kept_dimensions_reads_the_records(seeded: Any) -> None:
    rollups.refresh(full=True)
    rollup = next(item for item in rollups.registered() if item.indicator == "alerts.received")
    assert "municipality" not in rollup.dimensions
    assert rollups.rolled_counts(rollup, since=SINCE, until=UNTIL, by=("municipality",), with_synthetic=False) is None
    spec = SPECS["alerts.received"]
    assert indicator("alerts.received").count(since=SINCE, until=UNTIL, by=("municipality",)) == raw_counts(
        spec, "municipality", period=True
    )


def test_changes_the_worker_has_not_counted_yet_are_read_from_the_records(
    seeded: Any, personas: dict[str, Any]
) -> None:
    case = Case.objects.filter(opened_at__month=3, is_synthetic=False).first()
    Case.objects.filter(pk=case.pk).update(stage="closed")  # a stale stage, as counted by the rebuild
    rollups.refresh(full=True)
    assert not RollupMark.objects.exists()
    february = [alert for alert in seeded.alerts if alert.received_at.month == 2 and not alert.is_synthetic]

    waiting = next(alert for alert in february if alert.acknowledged_at is None)
    waiting.acknowledged_at = waiting.received_at + timedelta(minutes=5)
    waiting.save()
    moved = next(alert for alert in february if alert.pk != waiting.pk)
    moved.received_at = noon(2026, 3, 15)
    moved.save()
    february[-1].delete()
    Alert.objects.create(
        **{
            field.attname: getattr(february[0], field.attname)
            for field in Alert._meta.concrete_fields
            if field.attname not in {"id", "reference", "tracking_hash"}
        },
        reference="A-TEST-ROLLUP",
        tracking_hash="rollup-test",
    )

    decision = IdentificationDecision.objects.filter(decided_on__month=2, case__is_synthetic=False).first()
    person = decision.person
    person.sex = Sex.MALE if person.sex != Sex.MALE else Sex.FEMALE
    person.save()
    assert case_stage_refresh(case) != "closed"  # a bulk update: the service marks the month itself
    Referral.objects.filter(sent_at__month=2, case__is_synthetic=False)[:1].get().delete()

    assert RollupMark.objects.filter(month__in=[date(2026, 2, 1), date(2026, 3, 1)]).exists()
    _assert_equal_to_raw_sql()
    assert not _served_by_rollup("alerts.received", (MONTH,))  # February is marked

    rollups.refresh()
    assert not RollupMark.objects.exists()
    _assert_equal_to_raw_sql()
    assert _served_by_rollup("alerts.received", (MONTH,))
    assert _served_by_rollup("persons.identified", ("sex",))


def test_merging_persons_marks_the_decisions_that_move(seeded: Any, personas: dict[str, Any]) -> None:
    survivor = make_person(personas["eri_responder"], sex="male", given_names="Ana", family_names="Rollup Uno")
    duplicate = make_person(personas["eri_responder"], sex="female", given_names="Ana", family_names="Rollup Uno")
    template = IdentificationDecision.objects.filter(decided_on__month=2, case__is_synthetic=False).first()
    IdentificationDecision.objects.create(
        case=template.case,
        person=duplicate,
        outcome=template.outcome,
        institution=template.institution,
        decided_on=template.decided_on,
        basis="",
        recorded_by=template.recorded_by,
    )
    rollups.refresh(full=True)
    person_merge(actor=personas["supervisor"], survivor=survivor, duplicate=duplicate, reason="same person")
    assert RollupMark.objects.filter(month=date(2026, 2, 1)).exists()
    _assert_equal_to_raw_sql()


def test_a_change_committed_while_the_worker_counts_keeps_its_mark(
    seeded: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rollups.refresh(full=True)
    alert = next(alert for alert in seeded.alerts if alert.received_at.month == 2)
    alert.priority = "P1" if alert.priority != "P1" else "P2"
    alert.save()
    counting = rollups._count

    def counting_while_someone_writes(*args: Any) -> Any:
        # Another request commits a change to March after the worker read the marks.
        RollupMark.objects.create(source="alerts.alert.received_at", month=date(2026, 3, 1))
        return counting(*args)

    monkeypatch.setattr(rollups, "_count", counting_while_someone_writes)
    rollups.refresh()
    left = set(RollupMark.objects.values_list("source", "month"))
    assert ("alerts.alert.received_at", date(2026, 3, 1)) in left
    assert ("alerts.alert.received_at", date(2026, 2, 1)) not in left


def test_the_current_month_is_never_marked_and_is_read_from_the_records(seeded: Any) -> None:
    rollups.refresh(full=True)
    today = timezone.localdate()
    alert = next(alert for alert in seeded.alerts if alert.received_at.month == 3 and not alert.is_synthetic)
    alert.received_at = timezone.now()
    alert.save()  # leaves March (marked) for this month (never marked)
    assert set(RollupMark.objects.values_list("month", flat=True)) == {date(2026, 3, 1)}
    item = indicator("alerts.received")
    since = today.replace(day=1)
    with_rollup = item.count(since=since, until=today, by=("priority",))
    RollupState.objects.all().delete()
    assert item.count(since=since, until=today, by=("priority",)) == with_rollup
    assert sum(with_rollup.values()) >= 1


def test_periods_that_cut_months_add_the_rollup_and_the_records(seeded: Any) -> None:
    item = indicator("persons.identified")
    periods = [
        (date(2026, 1, 15), date(2026, 3, 31)),
        (date(2026, 2, 1), date(2026, 4, 10)),
        (date(2026, 1, 20), date(2026, 4, 15)),
    ]
    expected = {period: item.count(since=period[0], until=period[1], by=("sex",)) for period in periods}
    with including_synthetic():
        expected_all = item.count(since=SINCE, until=UNTIL, by=("department",))
    rollups.refresh(full=True)
    for (since, until), counts in expected.items():
        assert item.count(since=since, until=until, by=("sex",)) == counts
    with including_synthetic():
        assert item.count(since=SINCE, until=UNTIL, by=("department",)) == expected_all
    assert IndicatorRollup.objects.filter(indicator="persons.identified", synthetic=True).exists()


def test_a_changed_definition_is_recounted_not_mixed(seeded: Any) -> None:
    rollups.refresh(full=True)
    RollupState.objects.filter(indicator="alerts.received").update(signature="an-older-definition")
    rollup = next(item for item in rollups.registered() if item.indicator == "alerts.received")
    assert rollups.rolled_counts(rollup, since=SINCE, until=UNTIL, by=(), with_synthetic=False) is None
    rollups.refresh()
    assert RollupState.objects.get(indicator="alerts.received").signature == rollup.signature
    _assert_equal_to_raw_sql()


def test_a_condition_that_changes_with_time_cannot_be_rolled_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollups, "_ROLLUPS", dict(rollups._ROLLUPS))
    with pytest.raises(ImproperlyConfigured):
        records_indicator(
            "test.overdue",
            "",
            "",
            model=Alert,
            date_field="received_at",
            dimensions={"priority": ("", "priority")},
            condition=lambda: Q(acknowledge_due_at__lt=timezone.now()),
            rolled_up=("priority",),
        )


def test_one_code_cannot_carry_two_rollup_definitions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollups, "_ROLLUPS", dict(rollups._ROLLUPS))

    def made(kept: tuple[str, ...]) -> Indicator:
        return records_indicator(
            "test.twice",
            "",
            "",
            model=Alert,
            date_field="received_at",
            dimensions={"priority": ("", "priority"), "channel": ("", "channel")},
            rolled_up=kept,
        )

    made(("priority",))
    made(("priority",))  # the same definition again is harmless (a module imported twice)
    with pytest.raises(ImproperlyConfigured):
        made(("channel",))


def test_an_alert_written_by_plain_insert_in_a_past_month_marks_it(seeded: Any) -> None:
    """Intake writes alerts without the ORM's save (``ruta.core.rows``); a hotline call that began
    last month lands in that month, which the rollup must then not be trusted for."""
    rollups.refresh(full=True)
    before = indicator("alerts.received").count(since=SINCE, until=UNTIL, by=(MONTH,))
    alert_submit(
        actor=None,
        data=clean_submission(valid_payload()),
        channel="hotline",
        received_at=noon(2026, 2, 27),
    )
    assert RollupMark.objects.filter(source="alerts.alert.received_at", month=date(2026, 2, 1)).exists()
    after = indicator("alerts.received").count(since=SINCE, until=UNTIL, by=(MONTH,))
    assert after == {**before, ("2026-02",): before[("2026-02",)] + 1}
    _assert_equal_to_raw_sql()


def _refused_samples(since: date | None, until: date | None, by: Sequence[str]) -> dict[tuple[Any, ...], list[int]]:
    raise AssertionError(f"read from the records: {since}–{until} by {by}")


def test_the_median_from_sorted_runs_equals_the_median_of_the_records(seeded: Any) -> None:
    item = indicator("alerts.first_response_median_hours")
    asked = [
        ((), {}),
        ((MONTH,), {}),
        (("department",), {}),
        ((MONTH,), {"department": "08"}),
        (("priority",), {"department": "08"}),  # a dimension the runs do not keep: from the records
    ]
    periods = [(SINCE, UNTIL), (date(2026, 1, 1), date(2026, 4, 30)), (date(2026, 1, 12), date(2026, 3, 31))]
    expected = {
        (by, tuple(where.items()), period): item.values(since=period[0], until=period[1], by=by, where=where)
        for by, where in asked
        for period in periods
    }
    assert any(value is not None for values in expected.values() for value in values.values())
    rollups.refresh(full=True)
    samples = next(rollup for rollup in rollups.registered() if rollup.indicator == "alerts.first_response_times")
    served = rollups.rolled_samples(
        samples, _refused_samples, since=SINCE, until=UNTIL, by=("department",), with_synthetic=False
    )
    assert served is not None and sum(len(run) for runs in served.values() for run in runs) == item.count(
        since=SINCE, until=UNTIL
    ).get(())
    for (by, where, period), values in expected.items():
        assert item.values(since=period[0], until=period[1], by=by, where=dict(where)) == values, (by, where, period)
