"""The submissions-import benchmark at a tiny size, its command run in this process on the test DB."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command

from bench import instruments
from bench.memory import Measured
from ruta.instruments.models import Submission

pytestmark = pytest.mark.django_db


def _in_process(arguments: list[str]) -> Measured:
    assert arguments[:2] == ["manage.py", "import_submissions"]
    out = io.StringIO()
    begin = time.perf_counter()
    call_command(*arguments[1:], stdout=out)
    return Measured(0, out.getvalue(), "", time.perf_counter() - begin, 42.0)


def test_run_reports_both_names_with_the_rows_it_imported() -> None:
    results = instruments.run(120, smoke=True, runner=_in_process)
    assert [result.name for result in results] == ["submissions_import_rows_per_s", "submissions_import_peak_rss_mb"]
    rate, memory = results
    assert rate.size == 120 and rate.value and rate.value > 0 and rate.goal == 2000.0 and rate.goal_op == ">="
    assert memory.value == 42.0 and memory.goal == 300.0 and memory.goal_op == "<="
    assert Submission.objects.filter(instrument__form_id=instruments.FORM_ID).count() == 120
    # A second run replaces the first run's rows with fresh ones.
    instruments.run(30, smoke=True, runner=_in_process)
    assert Submission.objects.filter(instrument__form_id=instruments.FORM_ID).count() == 30


def test_a_failed_import_is_reported_not_measured() -> None:
    results = instruments.run(10, smoke=True, runner=lambda arguments: Measured(2, "", "boom", 1.0, None))
    assert all(result.value is None and "boom" in result.note for result in results)
