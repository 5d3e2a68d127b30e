"""The benchmarks themselves. Each returns ``Result``s; a missing piece gives ``missing(...)``, never a
made-up figure. Django is set up by ``bench.cli`` before these run."""

from __future__ import annotations

import glob
import json
import math
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.results import Result, missing

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 25  # the pages' own page size (alerts and cases views)


# The goals for duplicate-person search (p95 ≤ 50 ms, recall ≥ 0.95, precision ≥ 0.90).
DEDUPE_P95_GOAL_MS = 50.0
DEDUPE_RECALL_GOAL = 0.95


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def timed(function: Callable[[], Any], repeat: int, warmup: int = 3) -> list[float]:
    """Milliseconds per call, after ``warmup`` untimed calls (caches warm, plans cached)."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        function()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def _failure(name: str, size: int, metric: str, goal: float | None, op: str, exc: BaseException) -> Result:
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return missing(name, size, metric, goal, op, f"error: {detail[:300]}")


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


# --- PostgreSQL's own limit: pgbench single-row inserts -----------------------------------------------


def pgbench_path() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    return candidates[-1] if candidates else None


def pg_insert(size: int, *, database: str, seconds: int, clients: int) -> tuple[Result, float | None]:
    """Single-row INSERT transactions per second with ``clients`` connections (the machine's limit)."""
    name, metric = "pg_insert_tps", "tps"
    binary = pgbench_path()
    if binary is None:
        return missing(name, size, metric, None, "", "pgbench not found (install postgresql-contrib)"), None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, reference text NOT NULL, "
            "payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute("CREATE INDEX IF NOT EXISTS bench_insert_created ON bench_insert (created_at)")
    script = tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False)  # noqa: SIM115
    script.write(
        "\\set n random(1, 1000000000)\n"
        "INSERT INTO bench_insert (reference, payload) VALUES ('A-' || :n, repeat('x', 400));\n"
    )
    script.close()
    command = [binary, "-n", "-h", "127.0.0.1", "-U", "postgres", "-c", str(clients), "-j", str(min(clients, 2)),
               "-T", str(seconds), "-f", script.name, database]  # fmt: skip
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return _failure(name, size, metric, None, "", exc), None
    finally:
        Path(script.name).unlink(missing_ok=True)
    tps = re.search(r"tps = ([\d.]+)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    if not tps:
        return missing(name, size, metric, None, "", f"could not read pgbench output: {out[-200:]}"), None
    return (
        Result(name, size, metric, float(tps.group(1)), None, "", note=f"pgbench, {clients} clients, {seconds} s"),
        float(latency.group(1)) if latency else None,
    )


# --- intake: gunicorn + a load generator in a second process -----------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(port: int, process: subprocess.Popen[Any], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/alerts/track/AAAA-BBBB-CCCC/", timeout=5)
            return
        except urllib.error.HTTPError:
            return  # 404 (or 429): the application answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def _load_run(port: int, *, requests: int, concurrency: int, max_seconds: float, seed: int) -> dict[str, Any]:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            "--port",
            str(port),
            "--requests",
            str(requests),
            "--concurrency",
            str(concurrency),
            "--max-seconds",
            str(max_seconds),
            "--warmup",
            "50",
            "--seed",
            str(seed),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=max_seconds + 120,
        check=True,
    )
    return dict(json.loads(completed.stdout))


def median_run(measured: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median throughput, carrying every run's errors and time-outs: an error or a time
    limit hit in any run fails the goal, whichever run is reported."""
    by_rate = sorted(measured, key=lambda run: run["throughput_per_s"] or 0.0)
    return {
        **by_rate[len(by_rate) // 2],
        "errors": sum(run["errors"] for run in measured),
        "timed_out": any(run["timed_out"] for run in measured),
    }


def intake(
    size: int,
    *,
    env: dict[str, str],
    requests: int,
    max_seconds: float,
    pg_tps: float | None,
    pg_latency: float | None,
    runs: int = 1,
) -> list[Result]:
    """``runs`` loads against one server; the median run (by throughput) is reported, all of them in
    the note: on a shared 2-core machine runs minutes apart differ by a quarter."""
    names = ("intake_alerts_per_s", "alerts/s", 400.0, ">="), ("intake_p99_ms", "ms", 250.0, "<=")
    try:
        from ruta.alerts.models import Alert  # noqa: F401
    except ImportError as exc:
        return [_failure(n, size, m, g, o, exc) for n, m, g, o in names]
    cores = len(__import__("os").sched_getaffinity(0))
    workers = max(2, 2 * cores)
    port = _free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "ruta.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--backlog",
            "512",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _vacuum_alert_tables()
        _wait_ready(port, server)
        measured = [
            _load_run(port, requests=requests, concurrency=4 * workers, max_seconds=max_seconds, seed=1 + run)
            for run in range(runs)
        ]
    except Exception as exc:  # noqa: BLE001 - reported in the result file
        log.seek(0)
        tail = log.read()[-300:]
        return [_failure(n, size, m, g, o, RuntimeError(f"{exc}; server log: {tail}")) for n, m, g, o in names]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)
    _remove_intake_alerts()
    _vacuum_alert_tables()
    stats = median_run(measured)
    note = (
        f"{stats['requests']} requests after 50 warm-up, {stats['errors']} errors {stats['statuses']}, "
        f"gunicorn {workers} sync workers, {stats['concurrency']} concurrent clients, p50 {stats['p50_ms']:.1f} ms"
    )
    if runs > 1:
        rates = ", ".join(f"{run['throughput_per_s']}" for run in measured)
        note += f"; median of {runs} runs (alerts/s in order: {rates})"

    throughput = Result(
        "intake_alerts_per_s", size, "alerts/s", stats["throughput_per_s"], 400.0, ">=", pg_tps, "pg_insert_tps", note
    )
    p99 = Result("intake_p99_ms", size, "ms", stats["p99_ms"], 250.0, "<=", pg_latency, "pgbench latency ms", note)
    if stats["errors"] or stats["timed_out"]:
        for result in (throughput, p99):  # the goal includes "0 errors": the figures stay, the goal fails
            result.failed = True
            result.note = f"FAILED: {stats['errors']} errors, time limit hit: {stats['timed_out']}; {result.note}"
    return [throughput, p99]


def _vacuum_alert_tables() -> None:
    """Clear what earlier loads left: their alerts are deleted afterwards, and without this the
    next load inserts among their dead rows and index entries (60,000 dead alerts and 500,000 dead
    tokens in the 100k database after a few runs), or meets the autovacuum they set off."""
    from django.db import connection

    from ruta.alerts.models import Alert, AlertEvent, AlertPerson, AlertToken

    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table) for model in (Alert, AlertEvent, AlertPerson, AlertToken)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")


def _remove_intake_alerts() -> None:
    """The benchmark's own (non-synthetic) alerts go, so the database stays purely synthetic."""
    from ruta.alerts.models import Alert

    Alert.objects.filter(is_synthetic=False).delete()


# --- triage queue --------------------------------------------------------------------------------------


def _captured(function: Callable[[], Any]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return [query["sql"] for query in captured.captured_queries]


def _replay(statements: list[str]) -> Callable[[], None]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()

    return run


def queue(size: int, *, repeat: int) -> list[Result]:
    specs = [("queue_first_page_p95_ms", "ms", 100.0, "<="), ("queue_raw_sql_ratio", "ratio", 3.0, "<=")]
    try:
        from django.core.paginator import Paginator

        from ruta.alerts.selectors import QueueFilters, alert_queue

        officer = _user("sintetico.turno.01")  # commission duty officer: the national queue

        def first_page() -> None:
            page = Paginator(alert_queue(actor=officer, filters=QueueFilters()), PAGE_SIZE).get_page(1)
            list(page.object_list)

        first_page()
        statements = _captured(first_page)
        selector = percentile(timed(first_page, repeat), 0.95)
        raw = percentile(timed(_replay(statements), repeat), 0.95)
    except Exception as exc:  # noqa: BLE001
        return [_failure(n, size, m, g, o, exc) for n, m, g, o in specs]
    note = f"duty officer (national), page of {PAGE_SIZE} with its count, {len(statements)} queries"
    return [
        Result("queue_first_page_p95_ms", size, "ms", selector, 100.0, "<=", raw, "raw SQL p95 ms", note),
        Result(
            "queue_raw_sql_ratio",
            size,
            "ratio",
            selector / raw if raw else None,
            3.0,
            "<=",
            raw,
            "raw SQL p95 ms",
            note,
        ),
    ]


# --- case list and work list ------------------------------------------------------------------------


def case_list(size: int, *, repeat: int) -> list[Result]:
    try:
        from django.core.paginator import Paginator

        from ruta.cases.selectors import case_list as select_cases

        samples: dict[str, float] = {}
        raws: dict[str, float] = {}
        for label, username in (("ERI supervisor (institution)", "sintetico.eri.supervision.01"),
                                ("SENAF caseworker (team)", "sintetico.senaf.01")):  # fmt: skip
            user = _user(username)

            def page(user: Any = user) -> None:
                list(Paginator(select_cases(user), PAGE_SIZE).get_page(1).object_list)

            page()
            statements = _captured(page)
            samples[label] = percentile(timed(page, repeat), 0.95)
            raws[label] = percentile(timed(_replay(statements), repeat), 0.95)
    except Exception as exc:  # noqa: BLE001
        return [_failure("case_list_p95_ms", size, "ms", 200.0, "<=", exc)]
    worst = max(samples, key=lambda label: samples[label])
    note = "; ".join(f"{label}: {value:.1f} ms (raw {raws[label]:.1f})" for label, value in samples.items())
    return [Result("case_list_p95_ms", size, "ms", samples[worst], 200.0, "<=", raws[worst], "raw SQL p95 ms", note)]


def worklist(size: int, *, repeat: int) -> list[Result]:
    try:
        from django.db.models import Count

        from ruta.cases.models import Case
        from ruta.core.worklist import _PROVIDERS, worklist_items

        if not _PROVIDERS:
            return [missing("worklist_p95_ms", size, "ms", 250.0, "<=", "no work-list provider is registered")]
        busiest = Case.objects.values("owner").annotate(n=Count("id")).order_by("-n").first()
        if busiest is None:
            return [missing("worklist_p95_ms", size, "ms", 250.0, "<=", "no cases to build a work list from")]
        from django.contrib.auth import get_user_model

        owner = get_user_model().objects.get(pk=busiest["owner"])
        supervisor = _user("sintetico.eri.supervision.01")
        samples: dict[str, float] = {}
        counts: dict[str, int] = {}
        raws: dict[str, float] = {}
        for label, user, team in ((f"busiest owner ({busiest['n']} cases)", owner, False),
                                  ("ERI supervisor, team", supervisor, True)):  # fmt: skip

            def build(user: Any = user, team: bool = team) -> Any:
                return worklist_items(user, team=team)

            counts[label] = len(build())
            statements = _captured(build)
            samples[label] = percentile(timed(build, repeat), 0.95)
            raws[label] = percentile(timed(_replay(statements), repeat), 0.95)
    except Exception as exc:  # noqa: BLE001
        return [_failure("worklist_p95_ms", size, "ms", 250.0, "<=", exc)]
    worst = max(samples, key=lambda label: samples[label])
    note = "; ".join(
        f"{label}: {samples[label]:.1f} ms, {counts[label]} items (raw {raws[label]:.1f})" for label in samples
    )
    return [Result("worklist_p95_ms", size, "ms", samples[worst], 250.0, "<=", raws[worst], "raw SQL p95 ms", note)]


# --- duplicate persons -----------------------------------------------------------------------------


def dedupe(size: int, *, queries: int, brute_queries: int, brute_sample: int, seed: int) -> list[Result]:
    specs = [
        ("dedupe_p95_ms", "ms", DEDUPE_P95_GOAL_MS, "<="),
        ("dedupe_recall", "share", DEDUPE_RECALL_GOAL, ">="),
        ("dedupe_precision", "share", 0.9, ">="),
        ("dedupe_speedup_vs_bruteforce", "×", 100.0, ">="),
    ]
    try:
        return _dedupe(size, queries=queries, brute_queries=brute_queries, brute_sample=brute_sample, seed=seed)
    except Exception as exc:  # noqa: BLE001
        return [_failure(n, size, m, g, o, exc) for n, m, g, o in specs]


def wilson_interval(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % score interval of a proportion: how far a sample's recall may be from the rule's."""
    share = hits / total
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def dedupe_labelled_set(
    rng: random.Random, *, queries: int, seed: int
) -> tuple[list[tuple[Any, int | None]], dict[str, int], Callable[[str], int | None]]:
    """The labelled query set of the dedupe benchmark (also used by tuning harnesses, so they
    measure exactly what the benchmark measures): ``[(NameRecord, root or None)]``, the person id of
    each sampled reference, and the function giving a reference's same-human root."""
    import datetime as dt

    from ruta.demo.synthetic import variants
    from ruta.demo.synthetic.generator import reference_index, same_human_root
    from ruta.demo.synthetic.models import SyntheticCheckpoint
    from ruta.persons import names
    from ruta.persons.models import Person, PersonIdentity
    from ruta.persons.services import estimated_birth_year

    run = SyntheticCheckpoint.objects.get(entity="_run")
    params = SyntheticCheckpoint.objects.get(entity="persons").params
    total = Person.objects.filter(is_synthetic=True).count()
    ids_by_reference = {}

    def root_of(reference: str) -> int | None:
        index = reference_index(params, reference)
        return None if index is None else same_human_root(run.seed, run.batch_size, index)

    # The labelled query set: variants (persons engineer's generator) of sampled registry persons,
    # and persons who are not in the registry.
    matches = int(queries * 0.8)
    sampled = rng.sample(range(total), matches)
    all_refs = list(Person.objects.filter(is_synthetic=True).order_by("id").values_list("reference", "id"))
    chosen = [all_refs[i] for i in sampled]
    identities = PersonIdentity.objects.in_bulk([pk for _ref, pk in chosen])
    attributes = {
        pk: (sex, age, recorded)
        for pk, sex, age, recorded in Person.objects.filter(pk__in=[pk for _ref, pk in chosen]).values_list(
            "id", "sex", "age_years", "age_recorded_on"
        )
    }
    labelled: list[tuple[names.NameRecord, int | None]] = []
    for number, (reference, pk) in enumerate(chosen):
        identity = identities[pk]
        sex, age, recorded = attributes[pk]
        source = variants.PersonRecord(
            id=reference, given_names=identity.given_names, family_names=identity.family_names,
            birth_date=identity.birth_date or "", sex=sex if sex in ("female", "male") else "",
        )  # fmt: skip
        query = variants.variant(rng, source, f"q{number}")
        # Without a birth date, the second institution records an estimated age instead.
        year = int(source.birth_date[:4]) if source.birth_date else estimated_birth_year(age, recorded)
        ids_by_reference[reference] = pk
        labelled.append((_record(names, query, variants.recorded_birth_year(rng, year)), root_of(reference)))
    for stranger in variants.registry(queries - matches, seed=seed + 104729, today=dt.date(2026, 1, 1)):
        year = variants.recorded_birth_year(rng, int(stranger.birth_date[:4]))
        labelled.append((_record(names, variants.variant(rng, stranger, stranger.id), year), None))
    rng.shuffle(labelled)
    return labelled, ids_by_reference, root_of


def _dedupe(size: int, *, queries: int, brute_queries: int, brute_sample: int, seed: int) -> list[Result]:
    from ruta.persons import blocking, matching
    from ruta.persons.models import Person, PersonMatchSignature
    from ruta.persons.selectors import DatabaseIndex, record_duplicates

    rng = random.Random(seed * 31 + size)
    supervisor = _user("sintetico.eri.supervision.01")
    searchable = Person.objects.filter(merged_into__isnull=True)
    total = Person.objects.filter(is_synthetic=True).count()
    labelled, ids_by_reference, root_of = dedupe_labelled_set(rng, queries=queries, seed=seed)
    # Indexed search: the production selector (blocking on keyed tokens, scoring on signatures).
    reference_of = (
        dict(Person.objects.filter(is_synthetic=True).values_list("id", "reference")) if total <= 200_000 else None
    )
    latencies: list[float] = []
    suggested = correct = found = expected = undated_wrong = 0
    undated_expected = undated_found = 0
    # Queries by what they allow in principle (``matching.ambiguous``, over a wide candidate set,
    # not timed): [queries, found].
    strata = {"answerable": [0, 0], "ambiguous": [0, 0], "source not consistent": [0, 0]}
    wide_index = DatabaseIndex(searchable)
    answered: list[tuple[Any, int, bool]] = []
    for record, root in labelled:
        begin = time.perf_counter()
        candidates = record_duplicates(actor=supervisor, record=record, searchable=searchable)
        latencies.append((time.perf_counter() - begin) * 1000)
        references = (
            [reference_of[c.person.pk] for c in candidates]
            if reference_of
            else [c.person.reference for c in candidates]
        )
        roots = [root_of(ref) for ref in references]
        suggested += len(roots)
        correct += sum(1 for r in roots if root is not None and r == root)
        if record.birth_date is None:
            undated_wrong += sum(1 for r in roots if root is None or r != root)
        if root is not None:
            expected += 1
            found += root in roots
            if record.birth_date is None:
                undated_expected += 1
                undated_found += root in roots
            answered.append((record, root, root in roots))
    # The strata read up to 2,000 candidates per query: done after the timed searches, so their
    # reads do not evict what the searches themselves would find in the cache.
    for record, root, hit in answered:
        wide = wide_index.candidates(blocking.search_keys(record), 2000)
        wide_signatures = wide_index.signatures(wide)
        wide_refs = reference_of or dict(Person.objects.filter(pk__in=wide).values_list("id", "reference"))
        truth = [pk for pk in wide_signatures if root_of(wide_refs[pk]) == root]
        kind = matching.ambiguous(matching.signature(record), truth, wide_signatures)
        stratum = strata[{None: "source not consistent", True: "ambiguous", False: "answerable"}[kind]]
        stratum[0] += 1
        stratum[1] += hit
    recall = found / expected if expected else None
    precision = correct / suggested if suggested else None
    p95 = percentile(latencies, 0.95)
    mean = sum(latencies) / len(latencies)

    # Brute force on a sample: score each query against every signature of a sample that contains
    # its source, then extrapolate the scoring time linearly to the whole registry.
    brute = [(record, root) for record, root in labelled[:brute_queries]]
    sample_ids = set(
        Person.objects.filter(is_synthetic=True).order_by("?").values_list("id", flat=True)[: max(0, brute_sample)]
    ) if total > brute_sample else set(Person.objects.values_list("id", flat=True))  # fmt: skip
    sample_ids |= set(ids_by_reference.values())
    begin = time.perf_counter()
    signatures = dict(PersonMatchSignature.objects.filter(person_id__in=sample_ids).values_list("person_id", "data"))
    fetch_ms = (time.perf_counter() - begin) * 1000
    sample_refs = dict(Person.objects.filter(pk__in=signatures.keys()).values_list("id", "reference"))
    root_by_id = {pk: root_of(ref) for pk, ref in sample_refs.items()}
    scoring_ms = 0.0
    b_suggested = b_correct = b_found = b_expected = 0
    for record, root in brute:
        wanted = matching.signature(record)
        begin = time.perf_counter()
        scored = ((pk, matching.score(wanted, data)) for pk, data in signatures.items())
        ranked = matching.suggestions(scored, signatures, query=wanted)  # the same rule as the search
        scoring_ms += (time.perf_counter() - begin) * 1000
        roots = [root_by_id.get(pk, -pk) for pk, _score in ranked]
        b_suggested += len(roots)
        b_correct += sum(1 for r in roots if root is not None and r == root)
        if root is not None:
            b_expected += 1
            b_found += root in roots
    per_comparison = scoring_ms / (len(brute) * len(signatures))
    brute_ms = per_comparison * total  # scoring alone; reading every signature would add more
    speedup = brute_ms / mean if mean else None
    b_recall = b_found / b_expected if b_expected else None
    b_precision = b_correct / b_suggested if b_suggested else None
    note = (
        f"{len(labelled)} queries ({expected} with a source in the registry), mean {mean:.1f} ms, "
        f"{suggested - correct} wrong suggestions ({undated_wrong} for queries without a birth date); brute force: "
        f"{len(brute)} queries × {len(signatures):,} signatures, {per_comparison * 1000:.2f} µs per comparison × "
        f"{total:,} persons = {brute_ms:,.0f} ms per query (scoring only; fetching {len(signatures):,} signatures "
        f"took {fetch_ms:.0f} ms more)"
    )
    dated_expected = expected - undated_expected
    low, high = wilson_interval(found, expected) if expected else (0.0, 0.0)
    split = f"{found} of {expected} found (95 % interval {low:.3f}–{high:.3f}); " + (
        f"recall {(found - undated_found) / dated_expected:.3f} on the {dated_expected} dated queries, "
        f"{undated_found / undated_expected:.3f} on the {undated_expected} without a birth date"
        if dated_expected and undated_expected
        else ""
    )
    by_kind = ", ".join(f"{name} {n}: {hit / n:.3f}" for name, (n, hit) in strata.items() if n)
    split += f"; by what the query allows in principle (queries: recall) — {by_kind}"
    sample_note = (
        f"{split}; reference: exhaustive scoring of {len(brute)} queries over the {len(signatures):,}-signature sample"
    )
    brute_label = "brute-force ms per query (extrapolated)"
    return [
        Result("dedupe_p95_ms", size, "ms", p95, DEDUPE_P95_GOAL_MS, "<=", brute_ms, brute_label, note),
        Result(
            "dedupe_recall",
            size,
            "share",
            recall,
            DEDUPE_RECALL_GOAL,
            ">=",
            b_recall,
            "brute-force recall",
            sample_note,
        ),
        Result(
            "dedupe_precision", size, "share", precision, 0.9, ">=", b_precision, "brute-force precision", sample_note
        ),
        Result("dedupe_speedup_vs_bruteforce", size, "×", speedup, 100.0, ">=", brute_ms, brute_label, note),
    ]


def _record(names: Any, person: Any, birth_year: int | None = None) -> Any:
    birth = None
    if person.birth_date:
        try:
            birth = names.parse_birth_date(person.birth_date)
        except ValueError:
            birth = None
    return names.NameRecord(
        given_names=person.given_names,
        family_names=person.family_names,
        birth_date=birth,
        sex=person.sex or "",
        birth_year=birth_year,
    )
