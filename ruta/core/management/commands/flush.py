from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from ruta.audit import triggers
from ruta.core.references import references_reset


class Command(FlushCommand):
    help = (
        "Remove ALL data from the database (Django's flush). The audit trail's append-only triggers are "
        "lifted for the wipe and restored afterwards (wiping a whole database is an operator's act, not "
        "the application's), and reference numbers start again from 1."
    )

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        triggers.remove(connection)
        try:
            super().handle(**options)
        finally:
            triggers.install(connection)
        if connection.alias == "default":
            references_reset()
