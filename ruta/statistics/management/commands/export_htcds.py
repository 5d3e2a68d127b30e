"""``manage.py export_htcds --out PATH [--format csv|xlsx] [--k 11]`` (DESIGN.md §7)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.statistics.htcds import DEFAULT_K, FORMATS, HtcdsError, export_htcds


class Command(BaseCommand):
    help = (
        "Write the HTCDS export (presumed victims whose consent covers statistics, k-anonymous) and "
        'print {"rows", "suppressed", "generalised"}.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="file to write")
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--k", type=int, default=DEFAULT_K, help="smallest group published (default 11)")
        # Benchmarks and rehearsals run on generated data, which real exports leave out.
        parser.add_argument("--include-synthetic", action="store_true", help="also export generated test data")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        try:
            report = export_htcds(
                out, fmt=options["format"], k=options["k"], include_synthetic=options["include_synthetic"]
            )
        except HtcdsError as error:
            raise CommandError(str(error), returncode=2) from error
        with transaction.atomic():
            audit_record(
                actor=None,
                action=AuditAction.EXPORT,
                object_type="export.htcds",
                summary=f"htcds ({options['format']}, k={options['k']}): {report.rows} rows, "
                f"{report.suppressed} suppressed, written to {out.name}",
                reason="manage.py export_htcds",
            )
        self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
