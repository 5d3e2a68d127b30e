"""Import an XLSForm (.xlsx) as an instrument version, through the same code as the web upload.

    python manage.py import_xlsform PATH [--user USERNAME]

Prints {"form": id, "title", "version", "questions": N, "choices": N}. An invalid XLSForm exits
with status 2 and its errors (with their rows), one JSON object per line, on stderr; nothing saved."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.instruments.management.commands._user import acting_user
from ruta.instruments.services import XLSFormError, import_xlsform


class Command(BaseCommand):
    help = "Import an XLSForm (.xlsx) as a data-collection instrument version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", default="", help="username recorded as the importer")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            user = acting_user(options["user"])
            with path.open("rb") as handle:
                version = import_xlsform(handle, user=user, file_name=path.name)
        except XLSFormError as error:
            for item in error.errors:
                self.stderr.write(json.dumps(item, ensure_ascii=False))
            sys.exit(2)
        except (OSError, LookupError) as error:
            self.stderr.write(json.dumps({"row": None, "message": str(error)}, ensure_ascii=False))
            sys.exit(2)
        self.stdout.write(
            json.dumps(
                {
                    "form": version.instrument_id,
                    "title": version.title,
                    "version": version.version,
                    "questions": version.question_count,
                    "choices": version.choice_count,
                },
                ensure_ascii=False,
            )
        )
