from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from ruta.geo.models import Department, Municipality
from ruta.geo.services import DEFAULT_CSV, GeographyFileError, department_boundaries, geography_load

pytestmark = pytest.mark.django_db


def test_counts_and_codes() -> None:
    result = geography_load()
    assert (result.departments, result.municipalities) == (18, 298)
    assert Department.objects.count() == 18
    assert Municipality.objects.count() == 298
    assert Department.objects.get(code="08").iso_code == "HN-FM"
    assert Municipality.objects.get(code="0801").name == "Distrito Central"
    assert Municipality.objects.get(code="0501").name == "San Pedro Sula"
    assert Municipality.objects.get(code="0205").name == "Santa Fe"
    # Every municipality code starts with its department's code.
    assert not [
        m for m in Municipality.objects.select_related("department") if not m.code.startswith(m.department.code)
    ]


def test_repeated_names_are_told_apart_by_code() -> None:
    geography_load()
    repeated = Municipality.objects.filter(name="San Francisco").values_list("code", flat=True)
    assert len(set(repeated)) >= 2


def test_loading_twice_changes_nothing_and_updates_names() -> None:
    geography_load()
    Municipality.objects.filter(code="0801").update(name="Wrong")
    result = geography_load()
    assert result.municipalities == 298
    assert Municipality.objects.count() == 298
    assert Municipality.objects.get(code="0801").name == "Distrito Central"


def test_a_municipality_outside_its_department_is_refused(tmp_path: Path) -> None:
    rows = list(csv.DictReader(DEFAULT_CSV.open(encoding="utf-8")))
    rows[0]["municipality_code"] = "9901"
    broken = tmp_path / "broken.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = Municipality.objects.count()
    with pytest.raises(GeographyFileError, match="line 2"):
        geography_load(csv_path=broken)
    assert Municipality.objects.count() == before
    assert not Municipality.objects.filter(code="9901").exists()


def test_command_reports_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_geography")
    assert "18 departments, 298 municipalities" in capsys.readouterr().out


def test_boundaries_carry_codes_and_attribution(client: Client) -> None:
    geography_load()
    data = department_boundaries()
    codes = {feature["properties"]["department_code"] for feature in data["features"]}
    assert codes == set(Department.objects.values_list("code", flat=True))
    assert "OpenStreetMap" in data["metadata"]["license"]
    response = client.get("/geo/departments.geojson")
    assert response.status_code == 200
    assert "OpenStreetMap" in response.json()["metadata"]["license"]


def test_public_municipality_list_filters_by_department(client: Client) -> None:
    geography_load()
    response = client.get("/geo/municipalities.json", {"department": "05"})
    codes = [row["code"] for row in response.json()["municipalities"]]
    assert codes and all(code.startswith("05") for code in codes)
    assert len(codes) == Municipality.objects.filter(department__code="05").count()
