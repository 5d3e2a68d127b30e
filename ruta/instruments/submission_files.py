"""The submission exports of KoBoToolbox and ODK Central, read row by row, recognised by their headers.

- KoBoToolbox (CSV, ``;``-separated by default, or XLSX whose first sheet holds the main rows):
  group paths ``group/question``, metadata columns ``_id``, ``_uuid``, ``_submission_time``,
  ``_validation_status``, ``_index``, ``__version__``, ``meta/instanceID``…; a multiple choice may
  also come split into one 0/1 column per option (``question/option``).
- ODK Central (CSV, ``,``-separated): ``SubmissionDate`` first, group paths joined with ``-``,
  ``meta-instanceID`` (or ``KEY``), ``SubmitterID``, ``SubmitterName``, ``AttachmentsPresent``,
  ``ReviewState``, ``FormVersion``…

Rows are yielded one at a time (CSV through the csv module, XLSX through openpyxl's read-only mode)
so a file of any length imports in constant memory. Row numbers are the file's (header = row 1)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from ruta.instruments.models import SubmissionSource

XLSX_MAGIC = b"PK\x03\x04"
KOBO_MARKERS = {"_uuid", "_submission_time"}
ODK_MARKERS = {"SubmissionDate"}
ODK_INSTANCE_COLUMNS = ("meta-instanceID", "KEY", "instanceID")
KOBO_INSTANCE_COLUMNS = ("meta/instanceID", "_uuid")
# Columns either tool adds that are not questions of the form.
KOBO_METADATA = {"_id", "_index", "_parent_index", "_parent_table_name", "_notes", "_tags", "_status"}
ODK_METADATA = {
    "SubmissionDate",
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "UpdatedAt",
    "instanceID",
}
META_PREFIXES = ("meta/", "meta-", "formhub/", "formhub-", "_")


class UnknownFormat(ValueError):
    pass


@dataclass(frozen=True)
class Layout:
    """What the header row says about the file."""

    source: str
    header: list[str]
    separator: str  # between group and question in column names

    @property
    def tool(self) -> str:
        return "kobo" if self.source.startswith("kobo") else "odk"

    def instance_column(self) -> str | None:
        for column in KOBO_INSTANCE_COLUMNS if self.tool == "kobo" else ODK_INSTANCE_COLUMNS:
            if column in self.header:
                return column
        return None

    def submitted_column(self) -> str | None:
        wanted = "_submission_time" if self.tool == "kobo" else "SubmissionDate"
        return wanted if wanted in self.header else None

    def version_column(self) -> str | None:
        for column in ("FormVersion",) if self.tool == "odk" else ("__version__", "_version_", "_version"):
            if column in self.header:
                return column
        return None

    def form_id_column(self) -> str | None:
        return "_xform_id_string" if "_xform_id_string" in self.header else None

    def is_metadata(self, column: str) -> bool:
        if column in KOBO_METADATA or column in ODK_METADATA:
            return True
        return column.startswith(META_PREFIXES)


def open_rows(file: IO[bytes]) -> tuple[Layout, Iterator[tuple[int, list[Any]]]]:
    """The file's layout and an iterator of ``(row number, values)``; ``UnknownFormat`` when the
    header is neither KoBoToolbox's nor ODK Central's."""
    head = file.read(4)
    file.seek(0)
    if head == XLSX_MAGIC:
        return _xlsx(file)
    return _csv(file)


def _layout(header: list[str], *, xlsx: bool) -> Layout:
    columns = set(header)
    if columns & KOBO_MARKERS:
        return Layout(SubmissionSource.KOBO_XLSX if xlsx else SubmissionSource.KOBO_CSV, header, "/")
    if columns & ODK_MARKERS and any(column in columns for column in ODK_INSTANCE_COLUMNS):
        return Layout(SubmissionSource.ODK_XLSX if xlsx else SubmissionSource.ODK_CSV, header, "-")
    raise UnknownFormat(
        _(
            "the header is neither a KoBoToolbox export (no _uuid or _submission_time column) "
            "nor an ODK Central export (no SubmissionDate and meta-instanceID or KEY columns)"
        )
    )


def _csv(file: IO[bytes]) -> tuple[Layout, Iterator[tuple[int, list[Any]]]]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
    first_line = text.readline()
    # KoBo separates with ";" by default and may be set to ","; ODK Central always uses ",".
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = [column.strip() for column in next(csv.reader([first_line], delimiter=delimiter), [])]
    layout = _layout(header, xlsx=False)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, values in enumerate(csv.reader(text, delimiter=delimiter), start=2):
            if any(values):
                yield number, values

    return layout, rows()


def _xlsx(file: IO[bytes]) -> tuple[Layout, Iterator[tuple[int, list[Any]]]]:
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(file.read()) if not file.seekable() else file, read_only=True, data_only=True
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnknownFormat(_("the file is not a readable Excel workbook")) from None
    sheet = workbook.worksheets[0]  # the main rows; repeat groups come on the following sheets
    iterator = sheet.iter_rows(values_only=True)
    header = [str(value).strip() if value is not None else "" for value in next(iterator, ())]
    layout = _layout(header, xlsx=True)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(iterator, start=2):
                if any(value not in (None, "") for value in values):
                    yield number, ["" if value is None else value for value in values]
        finally:
            workbook.close()

    return layout, rows()
