"""Framework import and export: round trips, every error with its row, all or nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from ruta.audit.models import AuditEvent
from ruta.competencies.models import Competency, Framework, TargetLevel
from ruta.competencies.spreadsheets import (
    FrameworkImportError,
    export_csv,
    export_xlsx,
    framework_tables,
    import_framework,
)
from tests.competencies.factories import assess, inspector_framework

pytestmark = pytest.mark.django_db


def _structure(framework: Framework) -> dict[str, Any]:
    """Everything a file carries except the framework's code."""
    tables = framework_tables(framework)
    tables["framework"] = [{k: v for k, v in row.items() if k != "code"} for row in tables["framework"]]
    return tables


def _renamed_xlsx(content: bytes, code: str, edit: Any = None) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    workbook["framework"]["A2"] = code
    if edit:
        edit(workbook)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_the_seeded_framework_has_the_thirteen_contract_codes(reference_data: Any) -> None:
    framework = inspector_framework()
    assert list(framework.competencies.order_by("order").values_list("code", flat=True)) == [
        f"LI-{number:02d}" for number in range(1, 14)
    ]
    assert framework.is_example and "handbook for labour inspectors" in framework.source
    assert list(framework.levels.values_list("level", flat=True)) == [1, 2, 3, 4]
    assert TargetLevel.objects.filter(framework=framework, role="labour_inspector").count() == 13
    assert framework.domains.count() == 11
    for level in framework.levels.all():
        assert set(level.labels) == {"es", "en", "fr"} and set(level.descriptor_labels) == {"es", "en", "fr"}


def test_xlsx_round_trip_gives_the_same_framework(reference_data: Any) -> None:
    original = inspector_framework()
    copy = import_framework(_renamed_xlsx(export_xlsx(original), "copia"), filename="copia.xlsx", actor=None)
    assert copy.pk != original.pk
    assert _structure(copy) == _structure(original)
    assert copy.competencies.count() == 13 and copy.targets.count() == 13


def test_csv_round_trip_gives_the_same_framework(reference_data: Any) -> None:
    original = inspector_framework()
    text = export_csv(original).decode("utf-8-sig").replace(",labour-inspectors,", ",copia-csv,", 1)
    copy = import_framework(text.encode(), filename="copia.csv", actor=None)
    assert copy.code == "copia-csv"
    assert _structure(copy) == _structure(original)


def test_importing_the_export_over_itself_changes_nothing(reference_data: Any) -> None:
    original = inspector_framework()
    before = _structure(original)
    ids = set(Competency.objects.filter(framework=original).values_list("pk", flat=True))
    import_framework(export_xlsx(original), filename="same.xlsx", actor=None)
    assert _structure(inspector_framework()) == before
    assert set(Competency.objects.filter(framework=original).values_list("pk", flat=True)) == ids


def _break(workbook: Any) -> None:
    competencies = workbook["competencies"]
    competencies["A3"] = competencies["A2"].value  # row 3: repeats LI-01
    competencies["B4"] = "no_such_domain"  # row 4: unknown domain
    workbook["levels"]["A3"] = "abc"  # row 3: not a number
    targets = workbook["targets"]
    targets["C5"] = 9  # row 5: above the scale


def test_a_malformed_file_lists_every_error_with_its_row_and_imports_nothing(reference_data: Any) -> None:
    content = _renamed_xlsx(export_xlsx(inspector_framework()), "rota", _break)
    frameworks = Framework.objects.count()
    with pytest.raises(FrameworkImportError) as raised:
        import_framework(content, filename="rota.xlsx", actor=None)
    found = {(error.sheet, error.row, error.column) for error in raised.value.errors}
    assert ("competencies", 3, "code") in found
    assert ("competencies", 4, "domain") in found
    assert ("levels", 3, "level") in found
    assert ("targets", 5, "level") in found
    assert Framework.objects.count() == frameworks
    assert not Framework.objects.filter(code="rota").exists()


def test_missing_sheets_and_columns_are_reported(reference_data: Any) -> None:
    def drop(workbook: Any) -> None:
        del workbook["targets"]
        workbook["domains"]["A1"] = "codigo"

    content = _renamed_xlsx(export_xlsx(inspector_framework()), "otra", drop)
    with pytest.raises(FrameworkImportError) as raised:
        import_framework(content, filename="otra.xlsx", actor=None)
    found = {(error.sheet, error.row, error.column) for error in raised.value.errors}
    assert ("targets", None, "") in found
    assert ("domains", 1, "code") in found


def test_not_a_spreadsheet_is_refused(reference_data: Any) -> None:
    with pytest.raises(FrameworkImportError):
        import_framework(b"not a zip", filename="x.xlsx", actor=None)
    with pytest.raises(FrameworkImportError):
        import_framework(b"code\nx", filename="x.csv", actor=None)
    with pytest.raises(FrameworkImportError):
        import_framework(b"", filename="x.pdf", actor=None)


def test_a_rated_competency_cannot_be_removed(personas: dict[str, Any]) -> None:
    framework = inspector_framework()
    assess(personas["labour_inspector"], [2] * 13)

    def drop_last(workbook: Any) -> None:
        workbook["competencies"].delete_rows(14)
        workbook["targets"].delete_rows(14)

    content = _renamed_xlsx(export_xlsx(framework), framework.code, drop_last)
    with pytest.raises(FrameworkImportError) as raised:
        import_framework(content, filename="f.xlsx", actor=None)
    assert [(e.sheet, e.column) for e in raised.value.errors] == [("competencies", "code")]
    assert framework.competencies.count() == 13


def test_the_command_imports_and_reports_errors(reference_data: Any, tmp_path: Path) -> None:
    good = tmp_path / "nuevo.xlsx"
    good.write_bytes(_renamed_xlsx(export_xlsx(inspector_framework()), "nuevo"))
    out = io.StringIO()
    call_command("import_framework", str(good), stdout=out)
    assert "nuevo: 13 competencies" in out.getvalue()
    bad = tmp_path / "malo.xlsx"
    bad.write_bytes(_renamed_xlsx(export_xlsx(inspector_framework()), "malo", _break))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_framework", str(bad), stderr=err)
    assert "row 4" in err.getvalue()
    assert not Framework.objects.filter(code="malo").exists()


def test_the_upload_page_lists_the_errors_and_imports_a_good_file(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["training_coordinator"])
    url = reverse("competencies:import")
    bad = io.BytesIO(_renamed_xlsx(export_xlsx(inspector_framework()), "malo", _break))
    bad.name = "malo.xlsx"
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert [(e.sheet, e.row) for e in response.context["errors"]][:1] == [("competencies", 3)]
    assert not Framework.objects.filter(code="malo").exists()
    good = io.BytesIO(_renamed_xlsx(export_xlsx(inspector_framework()), "bueno"))
    good.name = "bueno.xlsx"
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    framework = Framework.objects.get(code="bueno")
    assert AuditEvent.objects.filter(object_type="competencies.framework", object_id=str(framework.pk)).exists()


def test_export_downloads(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["labour_inspector"])
    response = client.get(reverse("competencies:export", kwargs={"code": "labour-inspectors", "fmt": "csv"}))
    assert response.status_code == 200
    assert "LI-13" in response.content.decode("utf-8-sig")
    response = client.get(reverse("competencies:export", kwargs={"code": "labour-inspectors", "fmt": "pdf"}))
    assert response.status_code == 404


def test_formula_like_labels_stay_text_and_survive_the_round_trip(reference_data: Any) -> None:
    framework = inspector_framework()
    competency = framework.competencies.get(code="LI-01")
    competency.labels = {**competency.labels, "en": '=HYPERLINK("http://x.invalid","clic")'}
    competency.save(update_fields=["labels"])
    content = export_xlsx(framework)
    sheet = load_workbook(io.BytesIO(content))["competencies"]
    column = [cell.value for cell in sheet[1]].index("label_en")
    assert sheet.cell(row=2, column=column + 1).data_type == "s"
    assert "'=HYPERLINK" in export_csv(framework).decode("utf-8-sig")
    copy = import_framework(_renamed_xlsx(content, "formula"), filename="f.xlsx", actor=None)
    assert copy.competencies.get(code="LI-01").labels["en"].startswith("=HYPERLINK")
    text = export_csv(framework).decode("utf-8-sig").replace(",labour-inspectors,", ",formula-csv,", 1)
    copy = import_framework(text.encode(), filename="f.csv", actor=None)
    assert copy.competencies.get(code="LI-01").labels["en"].startswith("=HYPERLINK")
