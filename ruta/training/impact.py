"""Did the training change the work in the field? For labour inspectors, their field outcomes in a
window before the session against a window of the same length after it, per person and per cohort
(a session's inspectors), with the counts behind every share.

The after window runs from the day after the session for ``days`` days, cut at today; the before
window has the same length and ends the day before the session started, so both periods weigh the
same. A session that ended today or later has no after window yet and is left out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from ruta.accounts.models import Membership
from ruta.inspections.selectors import FieldOutcome, field_outcomes
from ruta.training.models import EnrolmentStatus, TrainingSession

INSPECTOR_ROLE = "labour_inspector"
DEFAULT_DAYS = 180


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(100) * self.numerator / self.denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    since: date
    until: date
    outcome: FieldOutcome

    @property
    def complete(self) -> Share:
        return Share(self.outcome.complete_visits, self.outcome.visits)

    @property
    def private(self) -> Share:
        return Share(self.outcome.private_interviews, self.outcome.interviews)

    @property
    def with_indicators(self) -> Share:
        return Share(self.outcome.interviews_with_indicators, self.outcome.interviews)


@dataclass(frozen=True)
class Comparison:
    label: str
    before: Period
    after: Period


@dataclass(frozen=True)
class Cohort:
    session: TrainingSession
    total: Comparison
    persons: list[Comparison]


def _sum(outcomes: Iterable[FieldOutcome]) -> FieldOutcome:
    names = [field.name for field in fields(FieldOutcome)]
    found = list(outcomes)
    return FieldOutcome(**{name: sum(getattr(outcome, name) for outcome in found) for name in names})


def windows(session: TrainingSession, days: int, today: date) -> tuple[date, date, date, date] | None:
    """(before since, before until, after since, after until), or None when there is no after yet."""
    after_since = session.ends_on + timedelta(days=1)
    after_until = min(session.ends_on + timedelta(days=days), today)
    if after_until < after_since:
        return None
    length = (after_until - after_since).days + 1
    before_until = session.starts_on - timedelta(days=1)
    return before_until - timedelta(days=length - 1), before_until, after_since, after_until


def cohorts(
    sessions: Iterable[TrainingSession], *, days: int = DEFAULT_DAYS, today: date | None = None
) -> list[Cohort]:
    """One cohort per session that has inspectors among its participants and an after window."""
    today = today or timezone.localdate()
    found = []
    for session in sessions:
        span = windows(session, days, today)
        if span is None:
            continue
        enrolments = session.enrolments.filter(
            status=EnrolmentStatus.ENROLLED,
            attendances__isnull=False,
            participant_id__in=Membership.objects.filter(role=INSPECTOR_ROLE, is_active=True).values("user_id"),
        ).distinct()
        people = {e.participant_id: e.participant for e in enrolments.select_related("participant")}
        if not people:
            continue
        before = field_outcomes(people, since=span[0], until=span[1])
        after = field_outcomes(people, since=span[2], until=span[3])
        persons = [
            Comparison(
                person.get_full_name() or person.username,
                Period(span[0], span[1], before[pk]),
                Period(span[2], span[3], after[pk]),
            )
            for pk, person in sorted(people.items(), key=lambda item: (item[1].last_name, item[1].first_name))
        ]
        total = Comparison(
            str(session),
            Period(span[0], span[1], _sum(before.values())),
            Period(span[2], span[3], _sum(after.values())),
        )
        found.append(Cohort(session, total, persons))
    return found
