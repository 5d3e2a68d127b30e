"""``manage.py import_framework PATH``: load a competency framework from an XLSX or CSV file.

The same service as the upload page (``ruta.competencies.spreadsheets.import_framework``): every
problem is listed with its sheet, row and column and nothing is saved unless there are none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.competencies.spreadsheets import FrameworkImportError, import_framework


class Command(BaseCommand):
    help = "Import (create or update) a competency framework from an XLSX or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        try:
            framework = import_framework(content, filename=path.name, actor=None)
        except FrameworkImportError as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(error.errors)} problem(s); nothing was imported.") from error
        self.stdout.write(
            f"{framework.code}: {framework.competencies.count()} competencies, {framework.levels.count()} levels, "
            f"{framework.targets.count()} targets."
        )
