"""Importing KoBoToolbox and ODK Central exports: detection, typing, idempotence, refusals, errors."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ruta.instruments import odk_central
from ruta.instruments.models import Submission, SubmissionImport, SubmissionSource
from ruta.instruments.services import SubmissionFileError, import_submissions
from tests.instruments.exports import KOBO_HEADER, ODK_HEADER, csv_bytes, kobo_row, odk_row, xlsx_bytes
from tests.instruments.factories import capacity_version

pytestmark = pytest.mark.django_db


def _run(target: Any, content: bytes, name: str = "export.csv") -> Any:
    return import_submissions(target, io.BytesIO(content), user=None, file_name=name)


def test_kobo_csv_imports_typed_values_and_again_imports_nothing() -> None:
    version = capacity_version()
    content = csv_bytes(KOBO_HEADER, [kobo_row(n) for n in range(1, 6)], delimiter=";")
    result = _run(version.instrument, content)
    assert (result.imported, result.already_present) == (5, 0)
    first = Submission.objects.get(instance_id="5b1e2c3d-0000-4000-8000-000000000001")
    assert first.source == SubmissionSource.KOBO_CSV and first.version == version
    assert first.data["staff"] == 1 and first.data["budget"] == 1001.5
    assert first.data["founded"] == "2001-02-03"
    assert first.data["pillars"] == "prevention protection"
    assert first.data["contact/email"] == "c1@example.hn"
    assert "_id" not in first.data and "pillars/prevention" not in first.data
    assert first.submitted_at.isoformat() == "2024-03-04T15:21:00+00:00"
    again = _run(version.instrument, content)
    assert (again.imported, again.already_present) == (0, 5)
    assert Submission.objects.count() == 5
    assert SubmissionImport.objects.filter(imported_count=5, already_present_count=0).count() == 1


def test_odk_central_csv_is_recognised_and_shares_instance_ids_with_kobo() -> None:
    version = capacity_version()
    _run(version, csv_bytes(KOBO_HEADER, [kobo_row(1), kobo_row(2)], delimiter=";"))
    result = _run(version, csv_bytes(ODK_HEADER, [odk_row(n) for n in (1, 2, 3)]))
    assert (result.imported, result.already_present) == (1, 2)
    third = Submission.objects.get(instance_id="5b1e2c3d-0000-4000-8000-000000000003")
    assert third.source == SubmissionSource.ODK_CSV
    assert third.data["contact/email"] == "c3@example.hn" and third.data["staff"] == 3


@pytest.mark.parametrize(
    ("header", "row", "source"),
    [(KOBO_HEADER, kobo_row, SubmissionSource.KOBO_XLSX), (ODK_HEADER, odk_row, SubmissionSource.ODK_XLSX)],
)
def test_xlsx_exports(header: list[str], row: Any, source: str) -> None:
    version = capacity_version()
    result = _run(version.instrument, xlsx_bytes(header, [row(n) for n in range(1, 4)]), "export.xlsx")
    assert (result.imported, result.already_present) == (3, 0)
    assert set(Submission.objects.values_list("source", flat=True)) == {source}
    assert Submission.objects.get(instance_id__endswith="000000000002").data["staff"] == 2


def test_every_error_is_listed_with_row_and_column_and_nothing_is_imported() -> None:
    version = capacity_version()
    rows = [
        kobo_row(1),
        kobo_row(2, staff="doce"),
        kobo_row(3, budget="mucho", founded="31/12/2020"),
        kobo_row(4),
        kobo_row(5, has_protocol="maybe", pillars="prevention lobbying"),
        kobo_row(6, _uuid="", **{"meta/instanceID": ""}),
    ]
    with pytest.raises(SubmissionFileError) as raised:
        _run(version.instrument, csv_bytes(KOBO_HEADER, rows, delimiter=";"))
    found = {(error["row"], error["column"]) for error in raised.value.errors}
    assert found == {
        (3, "staff"),
        (4, "budget"),
        (4, "founded"),
        (6, "has_protocol"),
        (6, "pillars"),
        (7, "meta/instanceID"),
    }
    assert all(error["message"] for error in raised.value.errors)
    assert not Submission.objects.exists() and not SubmissionImport.objects.exists()


def test_a_file_for_another_form_is_refused_naming_the_columns() -> None:
    version = capacity_version()
    header = ["start", "household_size", "water_source", "_uuid", "_submission_time"]
    content = csv_bytes(header, [{"_uuid": "x1", "household_size": "4", "water_source": "well"}], delimiter=";")
    with pytest.raises(SubmissionFileError) as raised:
        _run(version.instrument, content)
    error = raised.value.errors[0]
    assert error["row"] == 1 and error["column"] == "household_size, water_source"
    assert "capacity" in error["message"] and "2024-01" in error["message"]
    assert not Submission.objects.exists()


def test_an_odk_file_of_an_unknown_version_is_refused_naming_it() -> None:
    version = capacity_version()
    with pytest.raises(SubmissionFileError) as raised:
        _run(version, csv_bytes(ODK_HEADER, [odk_row(1, FormVersion="2023-07")]))
    assert raised.value.errors == [{"row": 2, "column": "FormVersion", "message": raised.value.errors[0]["message"]}]
    assert "2023-07" in raised.value.errors[0]["message"]


def test_rows_of_another_version_are_refused_when_a_version_is_chosen() -> None:
    first = capacity_version()
    capacity_version(version="2024-02")
    with pytest.raises(SubmissionFileError) as raised:
        _run(first, csv_bytes(ODK_HEADER, [odk_row(1, FormVersion="2024-02")]))
    assert "2024-02" in raised.value.errors[0]["message"]
    # Imported for the instrument, each row goes to its own version.
    _run(first.instrument, csv_bytes(ODK_HEADER, [odk_row(1, FormVersion="2024-02"), odk_row(2)]))
    assert dict(Submission.objects.values_list("instance_id", "version__version")) == {
        "5b1e2c3d-0000-4000-8000-000000000001": "2024-02",
        "5b1e2c3d-0000-4000-8000-000000000002": "2024-01",
    }


def test_unknown_format_is_refused() -> None:
    version = capacity_version()
    with pytest.raises(SubmissionFileError, match="neither a KoBoToolbox export"):
        _run(version, b"name,age\nAna,3\n")


def test_command_output_and_exit_status(tmp_path: Path, capsys: Any) -> None:
    version = capacity_version()
    good = tmp_path / "kobo.csv"
    good.write_bytes(csv_bytes(KOBO_HEADER, [kobo_row(n) for n in range(1, 4)], delimiter=";"))
    call_command("import_submissions", "--form", str(version.instrument_id), str(good))
    assert capsys.readouterr().out.strip() == '{"imported": 3, "already_present": 0}'
    call_command("import_submissions", "--form", "capacity", str(good))
    assert json.loads(capsys.readouterr().out) == {"imported": 0, "already_present": 3}
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(KOBO_HEADER, [kobo_row(7, staff="x"), kobo_row(8, founded="ayer")], delimiter=";"))
    with pytest.raises(SystemExit) as exited:
        call_command("import_submissions", "--form", "capacity", str(bad))
    assert exited.value.code == 2
    captured = capsys.readouterr()
    errors = [json.loads(line) for line in captured.err.splitlines() if line.strip()]
    assert [(error["row"], error["column"]) for error in errors] == [(2, "staff"), (3, "founded")]
    assert all(set(error) == {"row", "column", "message"} for error in errors)
    assert Submission.objects.count() == 3


def test_web_upload_imports_refuses_and_answers_413(client: Any, login: Any, settings: Any) -> None:
    login("study_coordinator")
    version = capacity_version()
    url = f"/instruments/{version.instrument_id}/import/"
    content = csv_bytes(KOBO_HEADER, [kobo_row(1), kobo_row(2)], delimiter=";")
    response = client.post(url, {"file": SimpleUploadedFile("kobo.csv", content, "text/csv")})
    assert response.status_code == 302 and Submission.objects.count() == 2
    bad = csv_bytes(KOBO_HEADER, [kobo_row(3, staff="muchos")], delimiter=";")
    response = client.post(url, {"file": SimpleUploadedFile("kobo.csv", bad, "text/csv")})
    assert response.status_code == 400 and "muchos" in response.content.decode()
    settings.RUTA_UPLOAD_MAX_BYTES = 1024
    big = csv_bytes(KOBO_HEADER, [kobo_row(n) for n in range(10, 40)], delimiter=";")
    response = client.post(url, {"file": SimpleUploadedFile("kobo.csv", big, "text/csv")})
    assert response.status_code == 413
    assert Submission.objects.count() == 2


class FakeSubmissions:
    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records

    def get_table(self, form_id: str, skip: int = 0, top: int = 1000) -> dict[str, Any]:
        assert form_id == "capacity"
        return {"value": self.records[skip : skip + top]}


class FakeClient:
    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.submissions = FakeSubmissions(records)


def test_odk_central_pull_through_an_injected_client(monkeypatch: Any) -> None:
    version = capacity_version()
    records = [
        {
            "__id": f"uuid:central-{n}",
            "__system": {"submissionDate": "2024-05-01T10:00:00.000Z", "formVersion": "2024-01", "submitterId": "3"},
            "institution": f"Central {n}",
            "staff": n,
            "has_protocol": "yes",
            "contact": {"email": f"c{n}@central.hn", "phone": None},
            "programme": [{"programme_name": "x"}],
            "meta": {"instanceID": f"uuid:central-{n}"},
        }
        for n in (1, 2)
    ]
    monkeypatch.setattr(odk_central, "client_factory", lambda: FakeClient(records))
    result = odk_central.pull_submissions(version.instrument, user=None)
    assert (result.imported, result.already_present) == (2, 0)
    pulled = Submission.objects.get(instance_id="central-2")
    assert pulled.source == SubmissionSource.ODK_API
    assert pulled.data == {
        "institution": "Central 2",
        "staff": 2,
        "has_protocol": "yes",
        "contact/email": "c2@central.hn",
    }
    assert odk_central.pull_submissions(version.instrument, user=None).imported == 0


def test_odk_central_configuration_from_the_environment(monkeypatch: Any) -> None:
    for name in odk_central.ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    assert not odk_central.configured()
    for name in odk_central.ENVIRONMENT:
        monkeypatch.setenv(name, "1")
    assert odk_central.configured()
