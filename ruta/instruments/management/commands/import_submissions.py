"""Import a KoBoToolbox or ODK Central export (CSV or XLSX) of a form's submissions.

    python manage.py import_submissions --form ID PATH [--user USERNAME]

``ID`` is the instrument's number (as ``import_xlsform`` prints it) or its form_id. Prints
{"imported": N, "already_present": N}. Any invalid row exits with status 2, every error as
{"row", "column", "message"} (one JSON object per line) on stderr, and nothing is imported.
Importing the same file again imports 0."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q

from ruta.instruments.management.commands._user import acting_user
from ruta.instruments.models import Instrument
from ruta.instruments.services import SubmissionFileError, import_submissions


class Command(BaseCommand):
    help = "Import submissions exported by KoBoToolbox or ODK Central (CSV or XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--form", required=True, help="the instrument's number or form_id")
        parser.add_argument("--user", default="", help="username recorded as the importer")
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        form = str(options["form"])
        lookup = Q(form_id=form) | Q(pk=int(form)) if form.isdigit() else Q(form_id=form)
        instrument = Instrument.objects.filter(lookup).first()
        if instrument is None:
            self._fail([{"row": None, "column": None, "message": f"no form {form!r}"}])
        try:
            user = acting_user(options["user"])
            with path.open("rb") as handle:
                result = import_submissions(instrument, handle, user=user, file_name=path.name)
        except SubmissionFileError as error:
            self._fail(error.errors)
        except (OSError, LookupError) as error:
            self._fail([{"row": None, "column": None, "message": str(error)}])
        self.stdout.write(json.dumps({"imported": result.imported, "already_present": result.already_present}))

    def _fail(self, errors: list[dict[str, Any]]) -> NoReturn:
        for item in errors:
            self.stderr.write(json.dumps(item, ensure_ascii=False))
        sys.exit(2)
