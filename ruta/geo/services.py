"""Loading the administrative geography from reference files."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ruta.core import generations
from ruta.geo.apps import GEOGRAPHY
from ruta.geo.models import Department, Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CSV = DATA_DIR / "honduras_municipalities.csv"
DEFAULT_GEOJSON = DATA_DIR / "honduras_departments.geojson"
REQUIRED_COLUMNS = {"department_code", "department_name", "iso_3166_2", "municipality_code", "municipality_name"}


class GeographyFileError(ValueError):
    pass


@dataclass(frozen=True)
class GeographyLoadResult:
    departments: int
    municipalities: int


@transaction.atomic
def geography_load(*, csv_path: Path = DEFAULT_CSV) -> GeographyLoadResult:
    """Create or update departments and municipalities by code; running it twice changes nothing."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
        if missing:
            raise GeographyFileError(f"{csv_path.name}: missing columns {sorted(missing)}")
        rows = list(reader)
    _validate(rows, csv_path.name)
    if not Department.objects.exists():
        generations.bump(GEOGRAPHY)  # bulk inserts send no model signal
        return _bulk_create(rows)
    departments: dict[str, Department] = {}
    municipality_codes: set[str] = set()
    for row in rows:
        municipality_code = row["municipality_code"].strip()
        department_code = row["department_code"].strip()
        municipality_codes.add(municipality_code)
        if department_code not in departments:
            departments[department_code], _ = Department.objects.update_or_create(
                code=department_code,
                defaults={"name": row["department_name"].strip(), "iso_code": row["iso_3166_2"].strip()},
            )
        Municipality.objects.update_or_create(
            code=municipality_code,
            defaults={"name": row["municipality_name"].strip(), "department": departments[department_code]},
        )
    return GeographyLoadResult(departments=len(departments), municipalities=len(municipality_codes))


def _validate(rows: list[dict[str, str]], name: str) -> None:
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        municipality_code = row["municipality_code"].strip()
        department_code = row["department_code"].strip()
        if not municipality_code.startswith(department_code):
            raise GeographyFileError(
                f"{name} line {line}: municipality {municipality_code} is not in department {department_code}"
            )
        if municipality_code in seen:
            raise GeographyFileError(f"{name} line {line}: municipality {municipality_code} repeated")
        seen.add(municipality_code)


def _bulk_create(rows: list[dict[str, str]]) -> GeographyLoadResult:
    """First load into an empty database: two bulk inserts instead of hundreds of upserts."""
    departments: dict[str, Department] = {}
    for row in rows:
        code = row["department_code"].strip()
        departments.setdefault(
            code, Department(code=code, name=row["department_name"].strip(), iso_code=row["iso_3166_2"].strip())
        )
    Department.objects.bulk_create(departments.values())
    by_code = {department.code: department for department in Department.objects.all()}
    Municipality.objects.bulk_create(
        Municipality(
            code=row["municipality_code"].strip(),
            name=row["municipality_name"].strip(),
            department=by_code[row["department_code"].strip()],
        )
        for row in rows
    )
    return GeographyLoadResult(departments=len(departments), municipalities=len(rows))


def department_boundaries(geojson_path: Path = DEFAULT_GEOJSON) -> dict[str, object]:
    """The boundary file as a dict, each feature tagged with the department code for joins."""
    data = json.loads(geojson_path.read_text(encoding="utf-8"))
    code_by_iso = dict(Department.objects.values_list("iso_code", "code"))
    for feature in data.get("features", []):
        properties = feature.setdefault("properties", {})
        properties["department_code"] = code_by_iso.get(properties.get("shapeISO", ""))
    return data
