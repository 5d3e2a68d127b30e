"""``python -m bench [--sizes 10000,100000,1000000] [--smoke]``: Ruta's benchmarks on PostgreSQL.

Creates its own database (``ruta_bench`` on 127.0.0.1:5432, user postgres), grows synthetic data
size by size (``generate_synthetic``: N alerts, N persons, N/10 cases with their referrals), and at
each size measures intake (gunicorn + a load generator in another process), the triage queue, the
case list, the work list, duplicate-person search and PostgreSQL's own single-row insert rate. Prints
one table and writes ``bench/results/latest.json`` (DESIGN §6). The database is dropped at the end
unless ``--keep-db``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "bench" / "results" / "latest.json"
SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_KEY = "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMTI="  # synthetic data only, never a real key


def bench_env(database: str) -> dict[str, str]:
    """Production-like settings (DEBUG off) for the bench database; every value fixed here."""
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{database}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-secret-key-synthetic-data-only-0123456789",
        "FIELD_ENCRYPTION_KEYS": BENCH_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS": "0",
        "PLAIN_STATIC_STORAGE": "1",
        "FAST_PASSWORD_HASHER": "1",
        "LOG_LEVEL": "WARNING",
        # The public throttle still runs on every request, with a limit the load cannot reach.
        "PUBLIC_ALERT_RATE": "100000000/hour",
        "PUBLIC_ALERT_ADDRESS_RATE": "100000000/hour",
        "DATABASE_CONN_MAX_AGE": "600",
        # Production runs with Redis (DESIGN §5): cache, throttle counters, worker wake-ups.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    }


# The modules' own benchmarks: ``bench/<name>.py`` with ``run(size, *, smoke) -> list[Result]``.
MODULE_SUITES = ("inspections", "instruments", "statistics", "htcds")
SUITES = ("queue", "case_list", "worklist", "dedupe", "intake", *MODULE_SUITES)


def _parse_only(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(set(chosen) - set(SUITES))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"--only: choose among {', '.join(SUITES)} (unknown: {', '.join(unknown)})")
    return chosen


def _parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--sizes: {text!r} is not a comma-separated list of integers") from exc
    if not sizes or sizes[0] < 1000 or sizes[-1] > 5_000_000:
        raise argparse.ArgumentTypeError("--sizes: each size must be between 1,000 and 5,000,000")
    return sizes


def _create_database(name: str, *, keep_existing: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep_existing:
            return
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def _drop_database(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", type=_parse_sizes, default=_parse_sizes("10000,100000,1000000"))
    parser.add_argument("--smoke", action="store_true", help="short runs for CI (fewer repetitions and requests)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--database", default="ruta_bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="one database per size (DATABASE_SIZE), kept and reused: data already generated are not generated again",
    )
    parser.add_argument(
        "--only",
        type=_parse_only,
        default=None,
        help=f"comma-separated suites ({', '.join(SUITES)}); their figures replace those in --output, the rest stay",
    )
    args = parser.parse_args(argv)
    if not args.database.replace("_", "").isalnum():
        parser.error("--database: letters, digits and underscores only")

    env = bench_env(_database_for(args, args.sizes[0]))
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")
    _create_database(_database_for(args, args.sizes[0]), keep_existing=args.reuse_db)
    import django

    django.setup()
    from bench import machine, results, suites

    try:
        return _run(args, env, machine, results, suites)
    finally:
        if not (args.keep_db or args.reuse_db):
            _drop_database(args.database)


def _database_for(args: argparse.Namespace, size: int) -> str:
    """Growing one database size by size, or (``--reuse-db``) one kept database per size."""
    return f"{args.database}_{size}" if args.reuse_db else str(args.database)


def _switch_database(name: str, env: dict[str, str]) -> dict[str, str]:
    from django.db import connections

    _create_database(name, keep_existing=True)
    connections.close_all()
    connections["default"].settings_dict["NAME"] = name
    switched = {**env, "DATABASE_URL": f"{SERVER}/{name}"}
    os.environ.update(switched)
    return switched


def _prepare_database() -> None:
    from django.core.management import call_command

    from ruta.demo.institutions import seed_institutions
    from ruta.demo.personas import seed_personas
    from ruta.geo.services import geography_load

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    geography_load()
    seed_institutions()
    seed_personas()


def _module_suite(name: str, size: int, *, smoke: bool, results: Any) -> list[Any]:
    """A module's benchmarks; one that fails to import or raises is reported as not measured (its
    names then come out as ``missing`` with the reason), never as a figure."""
    print(f"bench: {size:,}: {name} …", flush=True)
    try:
        module = importlib.import_module(f"bench.{name}")
        return list(module.run(size, smoke=smoke))
    except Exception as exc:  # noqa: BLE001 - reported in the result file
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]
        return [results.missing(f"{name}_suite", size, "", None, "", f"error: {detail}")]


def _run(args: argparse.Namespace, env: dict[str, str], machine: Any, results: Any, suites: Any) -> int:
    from django.db import connection

    from ruta.demo.synthetic.generator import Plan, Progress, generate

    began = time.monotonic()
    print(f"bench: database {args.database}, sizes {', '.join(f'{s:,}' for s in args.sizes)}", flush=True)
    if not args.reuse_db:  # with --reuse-db each size's database is prepared when the loop reaches it
        _prepare_database()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    facts = machine.facts(postgres)
    smoke = args.smoke
    repeat = 20 if smoke else 50
    collected: list[Any] = []
    for size in args.sizes:
        database = _database_for(args, size)
        if args.reuse_db:
            env = _switch_database(database, env)
            _prepare_database()
        print(f"bench: generating synthetic data up to {size:,} alerts/persons in {database} …", flush=True)
        stage_times: dict[str, float] = {}
        starts: dict[str, float] = {}

        def start(
            entity: str, total: int, done: int, starts: dict[str, float] = starts, times: dict[str, float] = stage_times
        ) -> None:
            starts[entity] = time.monotonic()
            times[f"{entity}_rows"] = total - done

        def finish(entity: str, starts: dict[str, float] = starts, times: dict[str, float] = stage_times) -> None:
            times[entity] = time.monotonic() - starts[entity]

        generated = time.monotonic()
        generate(
            Plan(seed=args.seed, persons=size, alerts=size, cases=size // 10),
            force=True,  # the benchmark's own database: its intake alerts are removed after each run
            progress=Progress(start=start, finish=finish),
        )
        generation_s = time.monotonic() - generated
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        alerts_s = stage_times.get("alerts")
        rows = stage_times.get("alerts_rows", 0)
        collected.append(
            results.Result(
                "synthetic_alerts_per_s",
                size,
                "alerts/s",
                rows / alerts_s if alerts_s and rows else None,
                1111.0,
                ">=",
                note=f"alerts stage {alerts_s or 0:.0f} s for {rows:,} new alerts (with persons, events, tokens); "
                f"all entities {generation_s:.0f} s (1M alerts in 15 min = 1,111/s)"
                if rows
                else f"NOT MEASURED: {database} already held the data (--reuse-db); see the run that generated it",
            )
        )
        print(f"bench: {size:,}: data ready in {generation_s:.0f} s; measuring …", flush=True)
        pg, pg_latency = suites.pg_insert(size, database=database, seconds=5 if smoke else 10, clients=8)
        collected.append(pg)
        wanted = args.only or SUITES
        if "queue" in wanted:
            collected += suites.queue(size, repeat=repeat)
        if "case_list" in wanted:
            collected += suites.case_list(size, repeat=repeat)
        if "worklist" in wanted:
            collected += suites.worklist(size, repeat=repeat)
        if "dedupe" in wanted:
            collected += suites.dedupe(
                size,
                queries=100 if smoke else 1000,
                brute_queries=10 if smoke else 30,
                brute_sample=5000 if smoke else 20000,
                seed=args.seed,
            )
        if "intake" in wanted:
            collected += suites.intake(
                size,
                env=env,
                requests=1500 if smoke else 6000,
                max_seconds=30 if smoke else 120,
                pg_tps=pg.value,
                pg_latency=pg_latency,
                runs=1 if smoke else 3,
            )
        for name in MODULE_SUITES:
            if name in wanted:
                collected += _module_suite(name, size, smoke=smoke, results=results)
        print(results.table([r for r in collected if r.size == size]), flush=True)
    facts["load_average_at_end"] = machine.load_average()
    facts["duration_s"] = round(time.monotonic() - began)
    facts["sizes"] = {str(size): {"alerts": size, "persons": size, "cases": size // 10} for size in args.sizes}
    facts["smoke"] = smoke
    if args.only is None:
        missing_names = [name for name in results.REQUIRED_NAMES if not any(r.name == name for r in collected)]
        for name in missing_names:
            collected += [results.missing(name, size, "", None, "", "benchmark not implemented") for size in args.sizes]
    facts["only"] = list(args.only or SUITES)
    results.write(args.output, facts, collected, merge=args.only is not None)
    print()
    print(results.table(collected))
    print(f"\nbench: wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    failed = [r for r in collected if not r.meets_goal]
    print(f"bench: {len(collected) - len(failed)} of {len(collected)} figures meet their goal", flush=True)
    return 0
