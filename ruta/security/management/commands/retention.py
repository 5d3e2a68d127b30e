from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.security.retention import retention_run


class Command(BaseCommand):
    help = "Apply the active retention rules now, or report what they would do with --dry-run."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        results = retention_run(dry_run=options["dry_run"])
        verb = "would treat" if options["dry_run"] else "treated"
        for result in results:
            self.stdout.write(
                f"{result.policy}: keep {result.keep_days} days (before {result.cutoff:%Y-%m-%d}): "
                f"{verb} {result.count}"
            )
        if not results:
            self.stdout.write("No active retention rules.")
