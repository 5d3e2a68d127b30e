"""``python manage.py screen``: one JSON object on stdin -> one JSON object on stdout (DESIGN.md §6).

Bad input (malformed JSON, wrong types, unknown codes, codes from another list) -> exit status 2, a
clear message on stderr and nothing on stdout."""

from __future__ import annotations

import io
import json
import sys
from typing import Any, NoReturn

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db.utils import OperationalError, ProgrammingError
from django.utils import translation

from ruta.screening import engine
from ruta.screening.errors import ScreeningError
from ruta.screening.services import ensure_catalogue, screening_run

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Screen one person against the ILO–EC indicators: JSON on stdin, JSON result on stdout."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", default="en", help="Language of the rationale (es, en, fr). Default: en.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            raw = sys.stdin.read()
            try:
                data = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                self._fail(f"malformed JSON on stdin: {exc}")
            _ensure_catalogue_or_embedded_database()
            try:
                result = screening_run(data=engine.parse_input(data))
            except ScreeningError as exc:
                self._fail(str(exc))
            # Inside the language override: the rationale is rendered here, from its stored reasons.
            self.stdout.write(json.dumps(result.as_output(), ensure_ascii=False))

    def _fail(self, message: str) -> NoReturn:
        self.stderr.write(f"screen: {message}")
        sys.exit(EXIT_BAD_INPUT)


def _ensure_catalogue_or_embedded_database() -> None:
    """The embedded SQLite database is created on first use, so `screen` works in a fresh checkout;
    a deployment's database (DATABASE_URL) is never migrated implicitly."""
    try:
        ensure_catalogue()
    except (OperationalError, ProgrammingError):
        if not settings.EMBEDDED:
            raise
        call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
        ensure_catalogue()
