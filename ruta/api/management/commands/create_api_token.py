from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rest_framework.authtoken.models import Token

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record


class Command(BaseCommand):
    help = "Print an API token for USERNAME (use it as 'Authorization: Token <token>')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace any existing token.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['username']!r}.")
        if options["rotate"]:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if created:
            audit_record(
                actor=None,
                action=AuditAction.CONFIG,
                object_type="authtoken.token",
                object_id=user.pk,
                summary=f"API token issued for {user.username}",
            )
        self.stdout.write(token.key)
