from typing import Any

from django.core.management.base import BaseCommand

from ruta.core.crypto import generate_key


class Command(BaseCommand):
    help = "Print a new random key for FIELD_ENCRYPTION_KEYS (put it first to rotate; keep the old ones after it)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_key())
