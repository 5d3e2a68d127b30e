"""Duplicate-person matching from files, through the production code path on a throwaway index.

    python manage.py match_persons --registry R.jsonl --queries Q.jsonl

Each line of R and Q: {"id", "given_names", "family_names", "birth_date" (optional, YYYY-MM-DD),
"sex" (optional)}. Prints one JSON line per query: {"query": id, "candidates": [{"id", "score"}]},
best first, only the candidates Ruta would suggest to a user. The index lives in memory: the
same normalisation, keyed tokens, blocking and scoring as the database, never the real tables.
A bad line stops the command with exit status 2 and names the file and line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.persons import matching
from ruta.persons.names import NameRecord, parse_birth_date

SEX_ALIASES = {"f": "female", "m": "male", "female": "female", "male": "male", "intersex": "intersex", "x": "intersex"}


class BadLine(Exception):
    pass


def _record(raw: str) -> tuple[str, NameRecord]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise BadLine("expected a JSON object")
    ident = data.get("id")
    if isinstance(ident, bool) or not isinstance(ident, (str, int)) or str(ident) == "":
        raise BadLine('"id" is required (string or number)')
    names = {}
    for name in ("given_names", "family_names"):
        value = data.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise BadLine(f'"{name}" must be a string')
        names[name] = value
    if not names["given_names"].strip() and not names["family_names"].strip():
        raise BadLine("a record needs a given or a family name")
    try:
        birth_date = parse_birth_date(data.get("birth_date"))
    except ValueError:
        raise BadLine('"birth_date" must be a real date written YYYY-MM-DD') from None
    sex = data.get("sex") or ""
    if not isinstance(sex, str):
        raise BadLine('"sex" must be a string')
    sex = SEX_ALIASES.get(sex.strip().lower(), "")
    return str(ident), NameRecord(names["given_names"], names["family_names"], birth_date, sex)


def _read(path: Path) -> Iterator[tuple[int, str, NameRecord]]:
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                ident, record = _record(raw)
            except BadLine as exc:
                raise BadLine(f"{path}: line {number}: {exc}") from None
            yield number, ident, record


class Command(BaseCommand):
    help = "Match query persons against a registry with Ruta's duplicate search (throwaway index)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--registry", required=True, type=Path)
        parser.add_argument("--queries", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._run(Path(options["registry"]), Path(options["queries"]))
        except BadLine as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        except OSError as exc:
            self.stderr.write(f"cannot read {exc.filename}: {exc.strerror}")
            sys.exit(2)

    def _run(self, registry: Path, queries: Path) -> None:
        index = matching.MemoryIndex()
        seen: set[str] = set()
        for number, ident, record in _read(registry):
            if ident in seen:
                raise BadLine(f"{registry}: line {number}: duplicate id {ident!r}")
            seen.add(ident)
            index.add(ident, record)
        parsed = list(_read(queries))  # validate every query line before printing anything
        out = self.stdout
        for _number, ident, record in parsed:
            found = matching.search(index, record)
            line = {"query": ident, "candidates": [{"id": item, "score": value} for item, value in found]}
            out.write(json.dumps(line, ensure_ascii=False))
