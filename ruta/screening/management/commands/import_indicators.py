from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.screening.catalogue import SCREENING_LISTS, CatalogueFileError
from ruta.screening.services import catalogue_import_bundled, indicator_list_replace


class Command(BaseCommand):
    help = (
        "Load the bundled ILO–EC and forced-labour indicator catalogue (idempotent), or replace one "
        "screening list from a YAML file in the shape of ilo_ec_indicators.yaml."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="YAML file to replace one list from (needs --list).")
        parser.add_argument("--list", choices=sorted(SCREENING_LISTS), help="The list to replace from --file.")
        parser.add_argument(
            "--verification",
            choices=["verified", "corroborated", "unverified"],
            default="",
            help="Verification status of the replacing list (default: from the file).",
        )
        parser.add_argument("--source", default="", help="Source of the replacing list (default: from the file).")
        parser.add_argument("--force", action="store_true", help="Also reload bundled lists replaced by an upload.")
        parser.add_argument("--reset-rules", action="store_true", help="Reset the rule table to the bundled defaults.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["file"] or options["list"]:
                if not (options["file"] and options["list"]):
                    raise CommandError("--file and --list go together.")
                change = indicator_list_replace(
                    actor=None,
                    list_code=options["list"],
                    content=options["file"].read_bytes(),
                    verification=options["verification"],
                    source=options["source"],
                )
                self.stdout.write(f"{change.code}: {change.as_dict()}")
                return
            summary = catalogue_import_bundled(actor=None, force=options["force"], reset_rules=options["reset_rules"])
        except (OSError, CatalogueFileError) as exc:
            raise CommandError(str(exc)) from exc
        for code, list_change in summary.lists.items():
            self.stdout.write(f"{code}: {list_change.as_dict()}")
        self.stdout.write(
            f"dimensions changed: {summary.dimensions_changed}; rule table created or reset: {summary.rules_changed}"
        )
