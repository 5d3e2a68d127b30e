from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core import crypto
from ruta.security.keys import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the first key of FIELD_ENCRYPTION_KEYS (in batches, "
        "resumable: re-running continues where an interrupted run stopped), then rebuild search tokens. "
        "Put the new key first, keep the old ones after it until this finishes, then remove them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--restart", action="store_true", help="Forget recorded progress and start over.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        report = rotate_all(batch_size=options["batch_size"], restart=options["restart"])
        for label, count in sorted(report.rewritten.items()):
            self.stdout.write(f"{label}: {count} re-encrypted")
        for name, count in sorted(report.tokens_rebuilt.items()):
            self.stdout.write(f"{name}: {count} rebuilt")
        audit_record(
            actor=None,
            action=AuditAction.CONFIG,
            object_type="security.encryption_keys",
            object_id=crypto.current_key_id(),
            summary=f"key rotation: {sum(report.rewritten.values())} values re-encrypted"[:300],
        )
        if report.failed:
            details = ", ".join(f"{label}: {count}" for label, count in sorted(report.failed.items()))
            raise CommandError(f"values no configured key can decrypt (left unchanged): {details}")
        self.stdout.write(self.style.SUCCESS(f"All columns use key {crypto.current_key_id()}."))
