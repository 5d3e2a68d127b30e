"""Pulling submissions from an ODK Central server with ``pyodk``, when one is configured.

Configuration (environment, read when a pull starts; all four are needed):

- ``ODK_CENTRAL_URL``: the server, e.g. ``https://central.example.hn``;
- ``ODK_CENTRAL_USER`` and ``ODK_CENTRAL_PASSWORD`` (or ``ODK_CENTRAL_PASSWORD_FILE``): a web user
  that can read the project's submissions;
- ``ODK_CENTRAL_PROJECT``: the project's number.

The form on the server must have the instrument's ``form_id``. Central's OData rows are turned
into the rows of Central's own CSV export (groups joined with ``-``, ``SubmissionDate``,
``meta-instanceID``, ``FormVersion``…) and go through ``import_submissions``, so a pull is checked
exactly like an uploaded export, and pulling twice imports nothing new. Tests inject a fake
client through ``client_factory``."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ruta.accounts.models import User
from ruta.instruments.models import Instrument, SubmissionSource
from ruta.instruments.services import ImportResult, import_submissions

PAGE_SIZE = 1000
ENVIRONMENT = ("ODK_CENTRAL_URL", "ODK_CENTRAL_USER", "ODK_CENTRAL_PASSWORD", "ODK_CENTRAL_PROJECT")


class CentralUnavailable(Exception):
    pass


def _setting(name: str) -> str:
    value = os.environ.get(name, "")
    if not value and os.environ.get(f"{name}_FILE"):
        value = Path(os.environ[f"{name}_FILE"]).read_text(encoding="utf-8").strip()
    return value.strip()


def configured() -> bool:
    return all(_setting(name) for name in ENVIRONMENT)


def _pyodk_client() -> Any:
    from pyodk._utils.config import CentralConfig, Config
    from pyodk.client import Client

    central = CentralConfig(
        base_url=_setting("ODK_CENTRAL_URL"),
        username=_setting("ODK_CENTRAL_USER"),
        password=_setting("ODK_CENTRAL_PASSWORD"),
        default_project_id=int(_setting("ODK_CENTRAL_PROJECT")),
    )
    return Client(config=Config(central=central))


client_factory: Callable[[], Any] = _pyodk_client


def _flatten(prefix: str, value: dict[str, Any], into: dict[str, Any]) -> None:
    for key, item in value.items():
        if key.startswith("__") or key.startswith("@"):
            continue
        name = f"{prefix}-{key}" if prefix else key
        if isinstance(item, dict):
            _flatten(name, item, into)
        elif not isinstance(item, list):  # repeats come in their own tables
            into[name] = "" if item is None else item


def _rows(client: Any, form_id: str) -> Iterator[dict[str, Any]]:
    skip = 0
    while True:
        page = client.submissions.get_table(form_id=form_id, skip=skip, top=PAGE_SIZE)
        values = page.get("value", [])
        for record in values:
            system = record.get("__system", {}) or {}
            row: dict[str, Any] = {
                "SubmissionDate": system.get("submissionDate", ""),
                "KEY": record.get("__id", ""),
                "SubmitterID": system.get("submitterId", ""),
                "SubmitterName": system.get("submitterName", ""),
                "ReviewState": system.get("reviewState", "") or "",
                "FormVersion": system.get("formVersion", ""),
            }
            _flatten("", record, row)
            yield row
        if len(values) < PAGE_SIZE:
            return
        skip += PAGE_SIZE


def pull_submissions(instrument: Instrument, *, user: User | None) -> ImportResult:
    try:
        client = client_factory()
        records = list(_rows(client, instrument.form_id))
    except Exception as error:  # noqa: BLE001 - network, authentication, unknown form: all mean "not now"
        raise CentralUnavailable(str(error) or error.__class__.__name__) from None
    columns: list[str] = []
    for record in records:
        columns.extend(column for column in record if column not in columns)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns or ["SubmissionDate", "KEY"])
    writer.writeheader()
    writer.writerows(records)
    return import_submissions(
        instrument,
        io.BytesIO(text.getvalue().encode()),
        user=user,
        file_name=f"odk-central:{instrument.form_id}",
        source=SubmissionSource.ODK_API,
    )
