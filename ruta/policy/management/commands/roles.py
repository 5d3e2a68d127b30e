"""Print the role table as every installed app has contributed to it: one row per permission, one
column per role, the scope in each cell. Operators and auditors read it; docs quote it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import override

from ruta.policy.permissions import declared
from ruta.policy.roles import ROLES


class Command(BaseCommand):
    help = "Print the role × permission table (scope per cell) as Markdown."

    def handle(self, *args: Any, **options: Any) -> None:
        roles = list(ROLES.values())
        with override("en"):
            self.stdout.write("| permission | " + " | ".join(role.code for role in roles) + " |")
            self.stdout.write("|---|" + "---|" * len(roles))
            for permission in declared():
                cells = [role.grants[permission].name.lower() if permission in role.grants else "" for role in roles]
                self.stdout.write(f"| `{permission}` {permission.label} | " + " | ".join(cells) + " |")
