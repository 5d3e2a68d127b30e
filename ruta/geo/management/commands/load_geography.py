from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.geo.services import DEFAULT_CSV, GeographyFileError, geography_load


class Command(BaseCommand):
    help = "Load or update departments and municipalities from a CSV keyed on official codes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = geography_load(csv_path=options["csv"])
        except (OSError, GeographyFileError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.departments} departments, {result.municipalities} municipalities loaded.")
