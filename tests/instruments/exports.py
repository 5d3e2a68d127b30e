"""Submission exports as KoBoToolbox and ODK Central write them, for the capacity form of forms.py."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl

KOBO_HEADER = [
    "start",
    "end",
    "today",
    "deviceid",
    "institution",
    "staff",
    "budget",
    "founded",
    "has_protocol",
    "pillars",
    "pillars/prevention",
    "pillars/protection",
    "pillars/prosecution",
    "pillars/partnership",
    "pillar_count",
    "per_head",
    "contact/email",
    "contact/phone",
    "summary",
    "staff_int",
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]

ODK_HEADER = [
    "SubmissionDate",
    "start",
    "end",
    "today",
    "deviceid",
    "institution",
    "staff",
    "budget",
    "founded",
    "has_protocol",
    "pillars",
    "pillar_count",
    "per_head",
    "contact-email",
    "contact-phone",
    "summary",
    "staff_int",
    "meta-instanceID",
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
]


def kobo_row(number: int, **overrides: Any) -> dict[str, Any]:
    uuid = f"5b1e2c3d-0000-4000-8000-{number:012d}"
    row = {
        "start": "2024-03-04T09:00:00.000-06:00",
        "end": "2024-03-04T09:20:00.000-06:00",
        "today": "2024-03-04",
        "deviceid": "collect:abc",
        "institution": f"Institución {number}",
        "staff": str(number % 50),
        "budget": f"{1000 + number}.5",
        "founded": "2001-02-03",
        "has_protocol": "yes" if number % 2 else "no",
        "pillars": "prevention protection" if number % 2 else "",
        "pillars/prevention": "1" if number % 2 else "",
        "pillars/protection": "1" if number % 2 else "",
        "pillars/prosecution": "0" if number % 2 else "",
        "pillars/partnership": "0" if number % 2 else "",
        "pillar_count": "2" if number % 2 else "0",
        "per_head": "",
        "contact/email": f"c{number}@example.hn",
        "contact/phone": "",
        "summary": "",
        "staff_int": "",
        "meta/instanceID": f"uuid:{uuid}",
        "_id": str(1000 + number),
        "_uuid": uuid,
        "_submission_time": "2024-03-04T15:21:00",
        "_validation_status": "",
        "_notes": "",
        "_status": "submitted_via_web",
        "_submitted_by": "",
        "__version__": "vQx8gH2kLm",
        "_tags": "",
        "_index": str(number),
    }
    row.update(overrides)
    return row


def odk_row(number: int, **overrides: Any) -> dict[str, Any]:
    kobo = kobo_row(number)
    row = {column: kobo.get(column.replace("-", "/"), "") for column in ODK_HEADER}
    row.update(
        {
            "SubmissionDate": "2024-03-04T15:21:00.123Z",
            "meta-instanceID": kobo["meta/instanceID"],
            "KEY": kobo["meta/instanceID"],
            "SubmitterID": "7",
            "SubmitterName": "encuestadora",
            "AttachmentsPresent": "0",
            "AttachmentsExpected": "0",
            "Status": "",
            "ReviewState": "",
            "DeviceID": "collect:abc",
            "Edits": "0",
            "FormVersion": "2024-01",
        }
    )
    row.update(overrides)
    return row


def csv_bytes(header: Sequence[str], rows: Sequence[dict[str, Any]], delimiter: str = ",") -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(header), delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Sequence[dict[str, Any]], repeat_sheet: bool = True) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Capacidad institucional"
    sheet.append(list(header))
    for row in rows:
        sheet.append([_typed(row.get(column, "")) for column in header])
    if repeat_sheet:  # KoBo puts each repeat group on its own sheet, after the main one
        extra = workbook.create_sheet("programme")
        extra.append(["programme/programme_name", "_index", "_parent_index"])
        extra.append(["Escuelas seguras", 1, 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed(value: Any) -> Any:
    """Spreadsheet cells hold numbers as numbers."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value or None
