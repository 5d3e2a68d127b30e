from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from ruta.security.demo import DEMO_TOTP_KEY_HEX, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Development only: print the current second-factor code of the demo logins (see `make run`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Allow outside DEBUG (throwaway databases only).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("The demo second factor exists only in development (DEBUG=1).")
        code = totp(bytes.fromhex(DEMO_TOTP_KEY_HEX))
        self.stdout.write(f"{code:06d}")
        self.stderr.write(f"(demo authenticator key {DEMO_TOTP_SECRET}; the code changes every 30 seconds)")
