"""The risk picture of a municipality: what was observed there (alerts, verified threats, inspection
findings) and its context (vulnerability indicators an administrator imported), combined with the
weights of ``RiskFactor`` into points, a level and a trend.

Each factor gives ``weight × min(value / saturation, 1)`` points; the level is the share of the
maximum (the sum of the active weights): **high** from 50 %, **medium** from 25 %, **low** below.
The counts cover a period (90 days up to a date by default); the trend compares it with the
period just before. A vulnerability indicator takes its latest year up to the period's end, so it
weighs the same in both periods and never makes a trend by itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ruta.alerts.models import Alert, AlertStatus
from ruta.geo.models import Municipality
from ruta.inspections.selectors import findings_by_municipality
from ruta.networks.models import RiskFactor, Threat, ThreatStatus, VulnerabilityValue
from ruta.security.exports import suppress

PERIOD_DAYS = 90
HIGH, MEDIUM = Decimal("0.5"), Decimal("0.25")
LEVELS = {"high": _("High"), "medium": _("Medium"), "low": _("Low")}
TRENDS = {"up": _("Rising"), "down": _("Falling"), "same": _("Stable")}


@dataclass(frozen=True)
class Contribution:
    factor: RiskFactor
    value: Decimal | None  # None: no data for this municipality
    points: Decimal
    note: str = ""  # where the value comes from (vulnerability data)
    illustrative: bool = False

    @property
    def shown(self) -> int | str | Decimal | None:
        """What a reader sees: a count below k as "<k" (a municipality's small counts could point
        to someone); a vulnerability indicator is a published rate, shown as it is."""
        if self.value is None or self.factor.source == RiskFactor.Source.VULNERABILITY:
            return self.value
        return suppress(int(self.value))

    @property
    def suppressed(self) -> bool:
        return self.value is not None and isinstance(self.shown, str)

    @property
    def shown_points(self) -> Decimal | None:
        """The points, unless they come from a suppressed count: with the factor's weight and
        saturation (which an administrator sets and the page explains) they would give it back."""
        return None if self.suppressed else self.points


@dataclass
class RiskPicture:
    municipality: Municipality
    contributions: list[Contribution] = field(default_factory=list)
    previous_points: Decimal = Decimal(0)
    maximum: Decimal = Decimal(0)

    @property
    def points(self) -> Decimal:
        return sum((c.points for c in self.contributions), Decimal(0))

    @property
    def shown_points(self) -> Decimal | None:
        """The total, unless it includes points from a suppressed count (subtracting the shown
        ones would reveal them): the level and the trend are then what a reader sees."""
        return None if any(c.suppressed for c in self.contributions) else self.points

    @property
    def share(self) -> Decimal:
        return self.points / self.maximum if self.maximum else Decimal(0)

    @property
    def level(self) -> str:
        return "high" if self.share >= HIGH else "medium" if self.share >= MEDIUM else "low"

    @property
    def level_label(self) -> str:
        return str(LEVELS[self.level])

    @property
    def trend(self) -> str:
        if self.points > self.previous_points:
            return "up"
        return "down" if self.points < self.previous_points else "same"

    @property
    def trend_label(self) -> str:
        return str(TRENDS[self.trend])


CountSource = Callable[[date, date, set[int] | None], dict[int, int]]


def _alerts(since: date, until: date, municipalities: set[int] | None) -> dict[int, int]:
    rows = Alert.objects.filter(received_at__date__gte=since, received_at__date__lte=until, municipality__isnull=False)
    rows = rows.exclude(status=AlertStatus.MERGED)  # a duplicate is the same event
    if municipalities is not None:
        rows = rows.filter(municipality_id__in=municipalities)
    return dict(rows.values_list("municipality_id").annotate(n=Count("pk")).values_list("municipality_id", "n"))


def _threats(since: date, until: date, municipalities: set[int] | None) -> dict[int, int]:
    rows = Threat.objects.filter(
        status__in=[ThreatStatus.VERIFIED, ThreatStatus.CLOSED],
        decided_at__date__gte=since,
        decided_at__date__lte=until,
    )
    if municipalities is not None:
        rows = rows.filter(municipality_id__in=municipalities)
    return dict(rows.values_list("municipality_id").annotate(n=Count("pk")).values_list("municipality_id", "n"))


def _inspections(since: date, until: date, municipalities: set[int] | None) -> dict[int, int]:
    by_code = findings_by_municipality(since=since, until=until)
    ids = dict(Municipality.objects.filter(code__in=list(by_code)).values_list("code", "pk"))
    return {ids[code]: count for code, count in by_code.items() if code in ids}


COUNT_SOURCES: dict[str, CountSource] = {
    RiskFactor.Source.ALERTS: _alerts,
    RiskFactor.Source.THREATS: _threats,
    RiskFactor.Source.INSPECTIONS: _inspections,
}


def active_factors() -> list[RiskFactor]:
    return list(RiskFactor.objects.filter(is_active=True).order_by("sort_order", "code"))


def _points(factor: RiskFactor, value: Decimal | None) -> Decimal:
    if value is None or factor.saturation <= 0:
        return Decimal(0)
    return (factor.weight * min(value / factor.saturation, Decimal(1))).quantize(Decimal("0.01"))


def _latest_values(
    factors: list[RiskFactor], year: int, municipalities: set[int] | None
) -> dict[tuple[int, int], VulnerabilityValue]:
    rows = VulnerabilityValue.objects.filter(factor__in=factors, year__lte=year).order_by("year")
    if municipalities is not None:
        rows = rows.filter(municipality_id__in=municipalities)
    return {(row.factor_id, row.municipality_id): row for row in rows}  # the latest year wins


def risk_pictures(
    *, until: date, municipalities: Iterable[Municipality] | None = None, days: int = PERIOD_DAYS
) -> list[RiskPicture]:
    """The risk picture of each municipality (all of them when none are named), highest first."""
    places = (
        list(municipalities) if municipalities is not None else list(Municipality.objects.select_related("department"))
    )
    ids = {place.pk for place in places} if municipalities is not None else None
    since = until - timedelta(days=days - 1)
    before_until, before_since = since - timedelta(days=1), since - timedelta(days=days)
    factors = active_factors()
    maximum = sum((factor.weight for factor in factors), Decimal(0))
    now_counts = {f.pk: COUNT_SOURCES[f.source](since, until, ids) for f in factors if f.source in COUNT_SOURCES}
    then_counts = {
        f.pk: COUNT_SOURCES[f.source](before_since, before_until, ids) for f in factors if f.source in COUNT_SOURCES
    }
    vulnerability = [f for f in factors if f.source == RiskFactor.Source.VULNERABILITY]
    values = _latest_values(vulnerability, until.year, ids)
    pictures = []
    for place in places:
        picture = RiskPicture(place, maximum=maximum)
        for factor in factors:
            if factor.pk in now_counts:
                count = Decimal(now_counts[factor.pk].get(place.pk, 0))
                picture.contributions.append(Contribution(factor, count, _points(factor, count)))
                picture.previous_points += _points(factor, Decimal(then_counts[factor.pk].get(place.pk, 0)))
                continue
            row = values.get((factor.pk, place.pk))
            value = row.value if row else None
            points = _points(factor, value)
            note = f"{row.source} ({row.year})" if row else ""
            picture.contributions.append(
                Contribution(factor, value, points, note, illustrative=bool(row and row.is_illustrative))
            )
            picture.previous_points += points
        pictures.append(picture)
    pictures.sort(key=lambda picture: (-picture.points, picture.municipality.code))
    return pictures


def department_levels(pictures: Iterable[RiskPicture]) -> dict[str, str]:
    """Each department's highest municipal level: the map's colours (municipal boundaries are not
    loaded, so a department stands for its most worrying municipality)."""
    order = {"low": 0, "medium": 1, "high": 2}
    levels: dict[str, str] = {}
    for picture in pictures:
        code = picture.municipality.department.code
        levels[code] = max(levels.get(code, "low"), picture.level, key=order.__getitem__)
    return levels
