"""Population imported with its source, and SDG 16.2.2 computed from it — or the reason it is not."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.cases.models import IdentificationDecision
from ruta.statistics.models import Population
from ruta.statistics.population import population_import, sdg_16_2_2
from ruta.statistics.reach import Reach
from tests.statistics.factories import seed_statistics

pytestmark = pytest.mark.django_db
CSV = """department,year,sex,age_group,value
08,2026,female,adult,700000
08,2026,male,adult,650000
08,2026,female,child,300000
05,2026,male,child,350000
"""


def test_import_keeps_the_source_and_replaces_cells(personas: dict[str, Any]) -> None:
    admin = personas["administrator"]
    assert population_import(actor=admin, text=CSV, source="INE, proyecciones 2026").imported == 4
    again = population_import(actor=admin, text=CSV.replace("700000", "710000"), source="INE, revisión")
    assert again.imported == 4 and Population.objects.count() == 4
    cell = Population.objects.get(department__code="08", sex="female", age_group="adult")
    assert (cell.value, cell.source) == (710000, "INE, revisión")


def test_a_bad_file_imports_nothing(personas: dict[str, Any]) -> None:
    admin = personas["administrator"]
    bad = CSV + "99,2026,female,adult,10\n"
    result = population_import(actor=admin, text=bad, source="INE")
    assert result.errors and not result.imported and not Population.objects.exists()
    assert population_import(actor=admin, text=CSV, source="  ").errors
    assert population_import(actor=admin, text="a,b\n1,2\n", source="INE").errors


def test_without_population_the_rate_is_not_shown_and_the_page_says_why(personas: dict[str, Any]) -> None:
    rates = sdg_16_2_2(year=2026, reach=Reach(exact=True))
    assert not rates.available and "2026" in rates.reason and not rates.rows


def test_the_rate_is_victims_per_100000(personas: dict[str, Any]) -> None:
    seed_statistics(personas)
    population_import(actor=personas["administrator"], text=CSV, source="INE")
    rates = sdg_16_2_2(year=2026, reach=Reach(exact=True))
    assert rates.available and rates.sources == ["INE"]
    victims = IdentificationDecision.objects.filter(
        outcome="identified", case__is_synthetic=False, decided_on__year=2026
    ).count()
    assert rates.total is not None and rates.total.victims == victims
    assert rates.total.rate == round(victims * 100_000 / 2_000_000, 2)
    female = next(row for row in rates.rows if row.label == "Female")
    female_victims = IdentificationDecision.objects.filter(
        outcome="identified", case__is_synthetic=False, decided_on__year=2026, person__sex="female"
    ).count()
    assert (female.victims, female.population) == (female_victims, 1_000_000)
    assert female.rate == round(female_victims * 100_000 / 1_000_000, 2)
