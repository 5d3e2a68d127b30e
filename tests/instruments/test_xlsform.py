"""Importing XLSForms: counts, versions, KoBo extras, invalid forms by row, export and round trip."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from ruta.instruments.models import Instrument, InstrumentVersion
from ruta.instruments.services import XLSFormError, import_xlsform
from ruta.instruments.xlsform import fields_from_survey, parse_xlsform, walk
from tests.instruments.forms import FULL_CHOICES, FULL_SURVEY, full_form, xlsx

pytestmark = pytest.mark.django_db

# Hand count of FULL_SURVEY: every row but the group/repeat begin and end rows.
FULL_QUESTIONS = len(FULL_SURVEY) - 1 - 4
FULL_CHOICE_COUNT = len(FULL_CHOICES) - 1


def _import(content: bytes, name: str = "form.xlsx") -> InstrumentVersion:
    return import_xlsform(io.BytesIO(content), user=None, file_name=name)


def test_full_form_imports_with_its_counts_settings_and_languages() -> None:
    version = _import(full_form())
    assert version.instrument.form_id == "capacity"
    assert version.title == "Capacidad institucional"
    assert version.version == "2024-01"
    assert (version.question_count, version.choice_count) == (FULL_QUESTIONS, FULL_CHOICE_COUNT) == (19, 6)
    assert version.languages == ["Español (es)", "English (en)"]
    assert version.settings["default_language"] == "Español (es)"
    assert "<h:html" in version.xform_xml and 'id="capacity"' in version.xform_xml
    types = {item.name: item.type for item in walk(fields_from_survey(version.survey))}
    assert types["programme"] == "repeat" and types["contact"] == "group" and types["deviceid"] == "deviceid"
    # Every expression of the form is one Ruta evaluates: no warning about expressions or types.
    assert not [warning for warning in version.warnings if "supported" in warning["message"]]


def test_same_file_twice_is_the_same_version_and_a_new_version_is_kept() -> None:
    first = _import(full_form())
    assert _import(full_form()).pk == first.pk
    second = _import(full_form("2024-02"))
    assert second.pk != first.pk
    assert list(Instrument.objects.get().versions.values_list("version", flat=True).order_by("version")) == [
        "2024-01",
        "2024-02",
    ]


def test_same_version_with_other_content_is_refused() -> None:
    _import(full_form())
    changed = [row[:] for row in FULL_SURVEY]
    changed[5][3] = "Institution name"
    with pytest.raises(XLSFormError, match="already imported"):
        _import(xlsx(changed, FULL_CHOICES, [["form_id", "version"], ["capacity", "2024-01"]]))


def test_kobo_authored_form_imports_with_autoname_kuid_and_settings() -> None:
    survey = [
        ["type", "$kuid", "$autoname", "name", "label::English (en)", "label::Español (es)", "required"],
        ["start", "aa1", "start", "start", "", "", ""],
        ["text", "aa2", "respondent", "", "Respondent", "Persona", "true"],
        ["select_one ab12cd", "aa3", "agree", "agree", "Agree?", "¿De acuerdo?", "false"],
    ]
    choices = [
        ["list_name", "$kuid", "name", "label::English (en)", "label::Español (es)", "$autovalue"],
        ["ab12cd", "c1", "y", "Yes", "Sí", "y"],
        ["ab12cd", "c2", "n", "No", "No", "n"],
    ]
    settings = [
        ["version", "form_id", "default_language", "kobo--lock_all"],
        ["vJ8k2", "kobo_form", "English (en)", "false"],
    ]
    version = _import(xlsx(survey, choices, settings))
    assert (version.instrument.form_id, version.version) == ("kobo_form", "vJ8k2")
    names = [item.name for item in walk(fields_from_survey(version.survey))]
    assert names == ["start", "respondent", "agree"]
    assert (version.question_count, version.choice_count) == (3, 2)


def test_unsupported_functions_and_types_are_warnings_with_rows() -> None:
    survey = [
        ["type", "name", "label", "relevant", "calculation"],
        ["integer", "age", "Age", "", ""],
        ["calculate", "lookup", "", "", "pulldata('ages', 'x', 'y', ${age})"],
        ["text", "why", "Why", "position(..) > 1", ""],
        ["geopoint", "where", "Where", "", ""],
    ]
    version = _import(xlsx(survey))
    rows = {(warning["row"], warning["message"].split("] ", 1)[-1].split(":")[0]) for warning in version.warnings}
    assert (3, "calculation") in rows
    assert (4, "relevant") in rows
    assert any(warning["row"] == 5 and "geopoint" in warning["message"] for warning in version.warnings)


@pytest.mark.parametrize(
    ("survey", "row"),
    [
        ([["type", "name", "label"], ["integer", "age", "Age"], ["calculate", "total", ""]], 3),
        ([["type", "name", "label"], ["text", "a", "A"], ["select_one missing", "b", "B"]], 3),
        ([["type", "name", "label"], ["begin_group", "g", "G"], ["text", "a", "A"]], None),
        ([["type", "name", "label"], ["text", "a b", "A"]], 2),
    ],
)
def test_invalid_forms_give_pyxform_errors_with_rows_and_save_nothing(survey: list[list[Any]], row: int | None) -> None:
    with pytest.raises(XLSFormError) as raised:
        _import(xlsx(survey, [["list_name", "name", "label"], ["yn", "y", "Y"]]))
    assert raised.value.errors and all(error["message"] for error in raised.value.errors)
    if row is not None:
        assert raised.value.errors[0]["row"] == row
    assert not Instrument.objects.exists()


def test_not_a_workbook() -> None:
    with pytest.raises(XLSFormError, match="not an Excel workbook"):
        _import(b"type,name\ntext,a\n")


def test_round_trip_export_and_reimport_gives_the_same_questions_and_choices(client: Any, login: Any) -> None:
    login("study_coordinator")
    version = _import(full_form())
    response = client.get(f"/instruments/versions/{version.pk}/xlsform.xlsx")
    assert response.status_code == 200
    exported = b"".join(response.streaming_content) if response.streaming else response.content
    assert exported == full_form() or openpyxl.load_workbook(io.BytesIO(exported))  # the original bytes
    again = parse_xlsform(exported)
    assert again.survey == version.survey and again.choices == version.choices
    assert (again.question_count, again.choice_count) == (version.question_count, version.choice_count)
    xml = client.get(f"/instruments/versions/{version.pk}/xform.xml")
    assert xml.status_code == 200 and xml["Content-Type"] == "application/xml"
    assert xml.content.decode() == version.xform_xml


def test_command_prints_the_exact_object(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "capacity.xlsx"
    path.write_bytes(full_form())
    call_command("import_xlsform", str(path))
    printed = json.loads(capsys.readouterr().out)
    version = InstrumentVersion.objects.get()
    assert printed == {
        "form": version.instrument_id,
        "title": "Capacidad institucional",
        "version": "2024-01",
        "questions": 19,
        "choices": 6,
    }
    assert list(printed) == ["form", "title", "version", "questions", "choices"]


def test_command_invalid_form_exits_2_with_rows_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([["type", "name", "label"], ["integer", "age", "Age"], ["calculate", "total", ""]]))
    done = subprocess.run(
        [sys.executable, "manage.py", "import_xlsform", str(path)],
        capture_output=True,
        text=True,
        env=_command_env(tmp_path),
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    errors = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert errors[0]["row"] == 3 and "calculation" in errors[0]["message"].lower()


def _command_env(tmp_path: Path) -> dict[str, str]:
    import os

    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'command.sqlite3'}", "DEBUG": "1"}
