from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.demo.personas import DEMO_PASSWORD, PERSONAS
from ruta.demo.services import demo_seed


class Command(BaseCommand):
    help = "Load the Honduras geography and realistic demo data (idempotent), then print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Allow outside DEBUG (never on real data).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo data is for development (DEBUG=1). Use --force only on a throwaway database.")
        summary = demo_seed()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in summary.items()))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username:<18} {persona.role:<20} {persona.institution}")
