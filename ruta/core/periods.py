"""Periods as the statistics count them: local dates, whole months, and the database filter that
keeps a record dated within a period."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

MONTH = "month"


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def period_filter(
    date_field: str, since: date | None, until: date | None, *, dated_by_day: bool = False, exclusive: bool = False
) -> dict[str, Any]:
    """The lookups keeping records whose ``date_field`` falls on or after ``since`` and on or before
    ``until`` (before it when ``exclusive``), in local dates. A datetime is compared with the local
    midnights that bound the period, not through its date, so the database can use an index on it."""
    end = until if exclusive or until is None else until + timedelta(days=1)
    if dated_by_day:
        bounds: dict[str, Any] = {"gte": since, "lt": end}
    else:
        bounds = {"gte": _midnight(since), "lt": _midnight(end)}
    return {f"{date_field}__{op}": bound for op, bound in bounds.items() if bound is not None}


def _midnight(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))
