"""Population per department (imported with its source) and SDG indicator 16.2.2: detected victims
of trafficking per 100,000 population, by sex, age group and form of exploitation.

Without population figures for the year the rate cannot be computed, and the page says why rather
than showing a rate over a guessed denominator."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _gettext

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.geo.models import Department
from ruta.persons.models import AgeGroup, Sex
from ruta.statistics.indicators import IDENTIFIED
from ruta.statistics.labels import Labeller
from ruta.statistics.models import Population
from ruta.statistics.reach import Reach
from ruta.statistics.routers import statistics_reads
from ruta.statistics.tables import Table, indicator_table

COLUMNS = ("department", "year", "sex", "age_group", "value")
PER = 100_000


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[str] = field(default_factory=list)


def population_import(*, actor: User, text: str, source: str) -> ImportResult:
    """Replace the figures of every (department, year, sex, age group) in the CSV; all rows or none."""
    result = ImportResult()
    source = source.strip()
    if not source:
        result.errors.append(_gettext("Say where the figures come from (the source)."))
        return result
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        result.errors.append(_gettext("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        return result
    departments = {department.code: department for department in Department.objects.all()}
    rows: list[Population] = []
    now = timezone.now()
    for number, row in enumerate(reader, start=2):
        department = departments.get((row["department"] or "").strip())
        sex, age_group = (row["sex"] or "").strip(), (row["age_group"] or "").strip()
        try:
            year, value = int(row["year"]), int(row["value"])
        except (TypeError, ValueError):
            year = value = -1
        if department is None or sex not in Sex.values or age_group not in AgeGroup.values or year < 1900 or value < 0:
            result.errors.append(_gettext("Line %(line)s is not valid.") % {"line": number})
            continue
        rows.append(
            Population(
                department=department,
                year=year,
                sex=sex,
                age_group=age_group,
                value=value,
                source=source[:300],
                imported_at=now,
                imported_by=actor,
            )
        )
    if result.errors:
        return result
    with transaction.atomic():
        for population in rows:
            Population.objects.update_or_create(
                department=population.department,
                year=population.year,
                sex=population.sex,
                age_group=population.age_group,
                defaults={
                    "value": population.value,
                    "source": population.source,
                    "imported_at": now,
                    "imported_by": actor,
                },
            )
        audit_record(
            actor=actor,
            action=AuditAction.CONFIG,
            object_type="statistics.population",
            summary=f"population import: {len(rows)} rows ({source[:80]})",
        )
    result.imported = len(rows)
    return result


@dataclass(frozen=True)
class RateRow:
    label: str
    victims: int | None
    population: int
    rate: float | None
    suppressed: bool


@dataclass(frozen=True)
class SdgRates:
    year: int
    available: bool
    reason: str
    sources: list[str]
    rows: list[RateRow]
    total: RateRow | None


def sdg_16_2_2(*, year: int, reach: Reach) -> SdgRates:
    """Victims identified in ``year`` per 100,000 inhabitants (national), overall and by sex, age
    group and form of exploitation (whose denominator is the whole population)."""
    with statistics_reads():
        figures = Population.objects.filter(year=year)
        if reach.territorial:
            figures = figures.filter(department__code=reach.departments[0])
        total_population = figures.aggregate(total=Sum("value"))["total"] or 0
        sources = sorted(set(figures.values_list("source", flat=True)))
        by_sex = dict(figures.values_list("sex").annotate(total=Sum("value")).values_list("sex", "total"))
        by_age = dict(figures.values_list("age_group").annotate(total=Sum("value")).values_list("age_group", "total"))
    if not total_population:
        return SdgRates(
            year,
            False,
            _gettext(
                "The rate is not shown: no population figures are loaded for %(year)s. An administrator can "
                "import them (by department, sex and age group, with their source) on the population page."
            )
            % {"year": year},
            [],
            [],
            None,
        )
    since, until = date(year, 1, 1), date(year, 12, 31)
    labels = Labeller()
    rows: list[RateRow] = []
    for dimension, denominators in (("sex", by_sex), ("age_group", by_age), ("exploitation", None)):
        table = indicator_table(IDENTIFIED, reach=reach, since=since, until=until, by=(dimension,))
        for cell in table.cells:
            value = cell.dimensions[dimension]
            population = total_population if denominators is None else denominators.get(value, 0)
            rows.append(_rate(labels(dimension, value), cell.base, population, cell.suppressed))
    total_table: Table = indicator_table(IDENTIFIED, reach=reach, since=since, until=until)
    total = _rate("", total_table.total.base, total_population, total_table.total.suppressed)
    return SdgRates(year, True, "", sources, rows, total)


def _rate(label: str, victims: int | None, population: int, suppressed: bool) -> RateRow:
    rate = None
    if not suppressed and victims is not None and population:
        rate = round(victims * PER / population, 2)
    return RateRow(label, None if suppressed else victims, population, rate, suppressed)
