from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from ruta.core.flush import guards
from ruta.core.references import references_reset


class Command(FlushCommand):
    help = (
        "Remove ALL data from the database (Django's flush). The apps' safeguards against deletion (the "
        "audit trail's append-only triggers) are lifted for the wipe and restored afterwards (wiping a whole "
        "database is an operator's act, not the application's), and reference numbers start again from 1."
    )

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        lifted = guards()
        for lift, _restore in lifted:
            lift(connection)
        try:
            super().handle(**options)
        finally:
            for _lift, restore in reversed(lifted):
                restore(connection)
        if connection.alias == "default":
            references_reset()
