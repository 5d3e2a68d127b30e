"""Reading XLSForms with pyxform, and the form tree Ruta renders, validates and imports against.

pyxform validates the spreadsheet and produces both the XForm XML (what ODK Collect and KoBoCollect
load) and a JSON tree of the survey; Ruta stores that tree and walks it as ``Field`` objects. Forms
authored in KoBoToolbox carry extra columns (``$kuid``, ``$autoname``…) and settings; pyxform keeps
or ignores them, and a row that has only ``$autoname`` gets it as its ``name``, as KoBo does."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.conf import settings as django_settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from ruta.instruments import expressions

ROW_IN_MESSAGE = re.compile(r"\[row\s*:\s*(\d+)\]", re.IGNORECASE)
LANGUAGE_CODE = re.compile(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z]+)?\)\s*$")

# pyxform's JSON type names that Ruta's web form renders, and the XLSForm names people write.
INPUT_TYPES = {"text", "integer", "decimal", "date", "select one", "select all that apply"}
DISPLAY_TYPES = {"note"}
COMPUTED_TYPES = {"calculate"}
METADATA_TYPES = {"start", "end", "today", "deviceid"}
SECTION_TYPES = {"group", "repeat"}
SUPPORTED_TYPES = INPUT_TYPES | DISPLAY_TYPES | COMPUTED_TYPES | METADATA_TYPES | SECTION_TYPES
ALWAYS = {"yes", "true", "true()", "1"}
EXPRESSION_COLUMNS = {
    "relevant": "relevant",
    "constraint": "constraint",
    "calculate": "calculation",
    "required": "required",
}


class XLSFormError(ValueError):
    """The spreadsheet is not a valid XLSForm; ``errors`` is a list of ``{"row", "message"}``."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(error["message"]) for error in errors))
        self.errors = errors


@dataclass
class Field:
    """One element of a form: a question, a note, a calculation, a metadata value or a section."""

    name: str
    path: str  # ``group/sub/name`` without repeat indices, as exports name columns
    type: str
    label: Any = ""
    hint: Any = ""
    bind: dict[str, str] = field(default_factory=dict)
    list_name: str = ""
    appearance: str = ""
    default: str = ""
    children: list[Field] = field(default_factory=list)

    @property
    def is_section(self) -> bool:
        return self.type in SECTION_TYPES

    @property
    def is_repeat(self) -> bool:
        return self.type == "repeat"

    @property
    def relevant(self) -> str:
        return self.bind.get("relevant", "")

    @property
    def constraint(self) -> str:
        return self.bind.get("constraint", "")

    @property
    def calculation(self) -> str:
        return self.bind.get("calculate", "")

    @property
    def required(self) -> str:
        return self.bind.get("required", "").strip()

    @property
    def constraint_message(self) -> Any:
        return self.bind.get("jr:constraintMsg", "")

    @property
    def required_message(self) -> Any:
        return self.bind.get("jr:requiredMsg", "")


@dataclass
class ParsedForm:
    form_id: str
    title: str
    version: str
    xform_xml: str
    survey: list[dict[str, Any]]
    choices: dict[str, list[dict[str, Any]]]
    settings: dict[str, Any]
    languages: list[str]
    warnings: list[dict[str, Any]]
    question_count: int
    choice_count: int


def parse_xlsform(content: bytes, *, fallback_form_id: str = "") -> ParsedForm:
    """Validate ``content`` (an .xlsx) with pyxform; raise ``XLSFormError`` with the rows at fault."""
    workbook_settings, rows_by_name, content = _prepare_workbook(content)
    pyxform_warnings: list[str] = []
    try:
        result = convert(content, file_type=".xlsx", warnings=pyxform_warnings, form_name="data")
    except PyXFormError as error:
        raise XLSFormError([_error(str(error))]) from None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:  # pyxform's plain errors
        raise XLSFormError([_error(str(error) or error.__class__.__name__)]) from None
    data = result._pyxform or {}
    survey = [child for child in data.get("children", []) if not _is_generated_meta(child)]
    choices: dict[str, list[dict[str, Any]]] = data.get("choices", {}) or {}
    form_id = str(workbook_settings.get("form_id") or data.get("id_string") or fallback_form_id or "").strip()
    title = str(workbook_settings.get("form_title") or data.get("title") or form_id).strip()
    version = str(workbook_settings.get("version") or data.get("version") or "").strip()
    fields = fields_from_survey(survey)
    warnings = [_error(message) for message in pyxform_warnings]
    warnings += _unsupported(fields, rows_by_name)
    return ParsedForm(
        form_id=form_id,
        title=title,
        version=version,
        xform_xml=result.xform,
        survey=survey,
        choices=choices,
        settings={key: value for key, value in workbook_settings.items() if value not in (None, "")},
        languages=_languages(survey, choices),
        warnings=warnings,
        question_count=sum(1 for item in walk(fields) if not item.is_section),
        choice_count=sum(len(options) for options in choices.values()),
    )


def _error(message: str) -> dict[str, Any]:
    found = ROW_IN_MESSAGE.search(message)
    return {"row": int(found.group(1)) if found else None, "message": message.strip()}


def _is_generated_meta(child: dict[str, Any]) -> bool:
    return child.get("name") == "meta" and child.get("type") == "group" and child.get("control", {}).get("bodyless")


def _prepare_workbook(content: bytes) -> tuple[dict[str, Any], dict[str, int], bytes]:
    """The settings row, each name's row on the survey sheet, and the bytes pyxform should read
    (with KoBo's ``$autoname`` copied into empty ``name`` cells)."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content))
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise XLSFormError([{"row": None, "message": _("The file is not an Excel workbook (.xlsx).")}]) from None
    sheets = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
    survey = sheets.get("survey")
    if survey is None:
        raise XLSFormError([{"row": None, "message": _("The workbook has no “survey” sheet.")}])
    header = [str(cell.value or "").strip() for cell in next(survey.iter_rows(min_row=1, max_row=1), ())]
    rows_by_name: dict[str, int] = {}
    changed = False
    if "name" in header:
        name_column = header.index("name") + 1
        autoname_column = header.index("$autoname") + 1 if "$autoname" in header else 0
        for row_number in range(2, survey.max_row + 1):
            cell = survey.cell(row=row_number, column=name_column)
            if not cell.value and autoname_column:
                autoname = survey.cell(row=row_number, column=autoname_column).value
                if autoname:
                    cell.value = autoname
                    changed = True
            if cell.value:
                rows_by_name.setdefault(str(cell.value).strip(), row_number)
    workbook_settings: dict[str, Any] = {}
    settings_sheet = sheets.get("settings")
    if settings_sheet is not None:
        rows = list(settings_sheet.iter_rows(min_row=1, max_row=2, values_only=True))
        if len(rows) == 2:
            workbook_settings = {
                str(key).strip(): value for key, value in zip(rows[0], rows[1], strict=False) if key is not None
            }
    if changed:
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    return workbook_settings, rows_by_name, content


def _unsupported(fields: list[Field], rows_by_name: dict[str, int]) -> list[dict[str, Any]]:
    """Warnings for what Ruta's web form cannot do (the XForm still works in ODK Collect)."""
    found: list[dict[str, Any]] = []
    for item in walk(fields):
        row = rows_by_name.get(item.name)
        if item.type not in SUPPORTED_TYPES:
            found.append(
                {
                    "row": row,
                    "message": _("[row : %(row)s] The type “%(type)s” is not shown in Ruta's web form.")
                    % {"row": row, "type": item.type},
                }
            )
        for key, column in EXPRESSION_COLUMNS.items():
            text = item.bind.get(key, "")
            if not text or (key == "required" and text.strip().lower() in ALWAYS | {"no", "false", "false()", "0"}):
                continue
            problem = expressions.check(text)
            if problem:
                found.append(
                    {
                        "row": row,
                        "message": _("[row : %(row)s] %(column)s: %(problem)s.")
                        % {"row": row, "column": column, "problem": problem},
                    }
                )
    return found


def fields_from_survey(survey: list[dict[str, Any]], prefix: str = "") -> list[Field]:
    fields = []
    for element in survey:
        name = str(element.get("name", ""))
        path = f"{prefix}{name}"
        fields.append(
            Field(
                name=name,
                path=path,
                type=str(element.get("type", "")),
                label=element.get("label", ""),
                hint=element.get("hint", ""),
                bind=dict(element.get("bind") or {}),
                list_name=str(element.get("list_name") or element.get("itemset") or ""),
                appearance=str((element.get("control") or {}).get("appearance", "")),
                default=str(element.get("default", "") or ""),
                children=fields_from_survey(element.get("children", []), f"{path}/")
                if element.get("type") in SECTION_TYPES
                else [],
            )
        )
    return fields


def walk(fields: list[Field]) -> Iterator[Field]:
    for item in fields:
        yield item
        yield from walk(item.children)


def leaves(fields: list[Field], *, in_repeats: bool = False) -> Iterator[Field]:
    """The non-section fields, outside repeats unless ``in_repeats``."""
    for item in fields:
        if item.is_section:
            if item.is_repeat and not in_repeats:
                continue
            yield from leaves(item.children, in_repeats=in_repeats)
        else:
            yield item


def _languages(survey: list[dict[str, Any]], choices: dict[str, list[dict[str, Any]]]) -> list[str]:
    found: list[str] = []

    def visit(label: Any) -> None:
        if isinstance(label, dict):
            for language in label:
                if language not in found:
                    found.append(language)

    for item in walk(fields_from_survey(survey)):
        visit(item.label)
    for options in choices.values():
        for option in options:
            visit(option.get("label"))
    return found


def language_code(language: str) -> str:
    """``es`` for ``Español (es)``; the name itself lower-cased when it carries no code."""
    found = LANGUAGE_CODE.search(language)
    return found.group(1).lower() if found else language.strip().lower()


def localized(text: Any, default_language: str = "") -> str:
    """A label in the active language: ``Español (es)`` serves ``es``; else the form's default."""
    if not isinstance(text, dict):
        return str(text or "")
    active = (translation.get_language() or django_settings.LANGUAGE_CODE).split("-")[0]
    by_code = {language_code(language): value for language, value in text.items() if value}
    for candidate in (active, language_code(default_language) if default_language else "", "default"):
        if candidate and by_code.get(candidate):
            return str(by_code[candidate])
    return next((str(value) for value in text.values() if value), "")
