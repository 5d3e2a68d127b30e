"""Recompute every person's duplicate-search tokens and match signature, in batches.

    python manage.py rebuild_person_index [--batch-size 500] [--after ID]

Run it after an upgrade that changes how duplicate matching keys names (new blocking keys or
signature fields; the release notes say so): persons registered before it still carry the old
keys, and searches under the new ones would pass them by. Each batch commits on its own and the
command prints the last person id of each, so an interrupted run resumes with ``--after`` that id.
Merged persons keep no tokens, as after every identity change (``person_tokens_rebuild``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.security.keys import rebuild_batch, token_rebuilders


class Command(BaseCommand):
    help = "Recompute every person's duplicate-search tokens and match signature (after a matching upgrade)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--after", type=int, default=0, help="Resume after this person id.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size, last = options["batch_size"], options["after"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        # The persons' rebuild that key rotation runs too (``person_tokens_rebuild`` per person).
        rebuilder = next(found for found in token_rebuilders() if found.name == "persons.person.tokens")
        persons = 0
        while True:
            with transaction.atomic():
                batch = rebuild_batch(rebuilder, after=last, batch_size=batch_size)
            if not batch:
                break
            persons += len(batch)
            last = batch[-1].pk
            self.stdout.write(f"persons up to id {last}: rebuilt ({persons} so far)")
        audit_record(
            actor=None,
            action=AuditAction.CONFIG,
            object_type="persons.search_index",
            summary=f"duplicate-search index rebuilt: {persons} persons",
        )
        self.stdout.write(self.style.SUCCESS(f"{persons} persons rebuilt."))
