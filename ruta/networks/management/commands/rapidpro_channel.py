"""Configure where SMS or WhatsApp bulletins go: ``manage.py rapidpro_channel sms https://rapidpro.example.org``
reads the workspace's API token from standard input (kept out of the shell history and the back
office, stored encrypted). ``--disable`` stops sending on that channel."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.networks.models import ContactChannel, RapidProChannel


class Command(BaseCommand):
    help = "Set the RapidPro broadcast API (address and token from stdin) for the sms or whatsapp channel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("channel", choices=[ContactChannel.SMS.value, ContactChannel.WHATSAPP.value])
        parser.add_argument("base_url", nargs="?", default="")
        parser.add_argument("--disable", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        channel = options["channel"]
        if options["disable"]:
            RapidProChannel.objects.filter(channel=channel).update(is_active=False)
            audit_record(actor=None, action=AuditAction.CONFIG, summary=f"RapidPro {channel} channel disabled")
            self.stdout.write(f"{channel}: disabled")
            return
        base_url = options["base_url"].strip()
        if not base_url.startswith(("https://", "http://")):
            raise CommandError("Give the RapidPro address, e.g. https://rapidpro.example.org")
        token = sys.stdin.readline().strip()
        if not token:
            raise CommandError("Write the API token on standard input.")
        RapidProChannel.objects.update_or_create(
            channel=channel, defaults={"base_url": base_url, "token": token, "is_active": True}
        )
        audit_record(actor=None, action=AuditAction.CONFIG, summary=f"RapidPro {channel} channel set to {base_url}")
        self.stdout.write(f"{channel}: {base_url}")
