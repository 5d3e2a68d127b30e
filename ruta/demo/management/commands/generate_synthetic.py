"""``manage.py generate_synthetic --alerts N --persons N --cases N --seed S``: synthetic data at scale.

Deterministic for a seed, resumable (run it again after an interruption: it continues after the last
committed batch), and it refuses a database holding real persons, cases or alerts unless --force."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from ruta.demo.synthetic.adapters import MissingPiece
from ruta.demo.synthetic.generator import DEFAULT_BATCH_SIZE, Plan, Progress, SyntheticError, generate


def _anchor(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--anchor: not an ISO date or date-time: {value!r}") from exc
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = "Generate synthetic persons, alerts, cases and referrals (is_synthetic=True), deterministic for a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=0)
        parser.add_argument("--alerts", type=int, default=0)
        parser.add_argument("--cases", type=int, default=0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--anchor", default="", help="the data's 'now' (ISO date-time); default: first run's time")
        parser.add_argument("--force", action="store_true", help="run even if the database holds real records")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("persons", "alerts", "cases"):
            if options[name] < 0:
                raise CommandError(f"--{name} must not be negative")
        plan = Plan(
            seed=options["seed"],
            persons=options["persons"],
            alerts=options["alerts"],
            cases=options["cases"],
            batch_size=options["batch_size"],
            anchor=_anchor(options["anchor"]) if options["anchor"] else None,
        )
        bars: dict[str, tqdm[Any]] = {}
        quiet = options["no_progress"] or options["verbosity"] == 0

        def start(entity: str, total: int, done: int) -> None:
            if not quiet:
                bars[entity] = tqdm(
                    total=total, initial=done, desc=entity, unit=" rows", unit_scale=True, file=self.stderr
                )

        def advance(entity: str, rows: int) -> None:
            if entity in bars:
                bars[entity].update(rows)

        def finish(entity: str) -> None:
            if entity in bars:
                bars.pop(entity).close()

        began = time.monotonic()
        try:
            summary = generate(plan, force=options["force"], progress=Progress(start, advance, finish))
        except (SyntheticError, MissingPiece) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars.values():
                bar.close()
        elapsed = time.monotonic() - began
        counts = ", ".join(f"{count} {entity}" for entity, count in summary.items())
        self.stdout.write(f"synthetic data (seed {plan.seed}): {counts} in {elapsed:.1f} s")
