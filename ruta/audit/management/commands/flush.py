from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from ruta.audit import triggers


class Command(FlushCommand):
    help = (
        "Remove ALL data from the database (Django's flush). The audit trail's append-only triggers are "
        "lifted for the wipe and restored afterwards: wiping a whole database is an operator's act, "
        "not the application's."
    )

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        triggers.remove(connection)
        try:
            super().handle(**options)
        finally:
            triggers.install(connection)
