"""``submissions_import_rows_per_s`` and ``submissions_import_peak_rss_mb``: importing a KoBoToolbox
CSV export of the baseline capacity questionnaire (DESIGN.md §7; goals ≥ 2,000 rows/s, ≤ 300 MB).

The file has 100,000 rows (10,000 in smoke runs, or ``size`` if smaller, so tests stay tiny), written
as KoBo writes it (``;``-separated, group paths, split multiple-choice columns, metadata columns).
The import runs as ``manage.py import_submissions`` in a child process, as an operator would run
it: the rate is rows over the child's wall time (start-up included) and the memory is the child's
own peak (``bench.memory``: ``VmHWM``, since ``RUSAGE_CHILDREN`` would report this process's size).
Each run uses fresh instance IDs, so every row is new; earlier runs' rows are deleted first."""

from __future__ import annotations

import csv
import json
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from bench.memory import Measured, run_measured
from bench.results import Result, missing

RATE_GOAL = 2000.0
RSS_GOAL_MB = 300.0
FULL_ROWS = 100_000
SMOKE_ROWS = 10_000
FORM_ID = "bench_capacidad"
PILLARS = ("prevencion", "proteccion", "persecucion", "alianzas")
INSTITUTIONS = ("cicesct", "eri", "stss", "sesal", "seduc", "mp", "dpi", "ong-fortalece", "casa-alianza")
HEADER = [
    "start",
    "end",
    "today",
    "deviceid",
    "institucion",
    "informante_cargo",
    "protocolos/tiene_protocolo",
    "protocolos/anio_protocolo",
    "personal/personal_total",
    "personal/personal_capacitado",
    "personal/pct_capacitado",
    "pilares",
    *[f"pilares/{pillar}" for pillar in PILLARS],
    "sistema_datos",
    "coordinacion",
    "presupuesto",
    "fecha_entrevista",
    "observaciones",
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]


def write_export(path: Path, rows: int) -> None:
    run = uuid.uuid4().hex[:8]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for number in range(rows):
            has_protocol = number % 3 != 0
            total = 5 + number % 60
            picked = [pillar for index, pillar in enumerate(PILLARS) if (number >> index) & 1] or ["prevencion"]
            instance = f"{run}-0000-4000-8000-{number:012d}"
            writer.writerow(
                [
                    "2019-03-12T09:00:00.000-06:00",
                    "2019-03-12T09:25:00.000-06:00",
                    "2019-03-12",
                    f"collect:{number % 40}",
                    INSTITUTIONS[number % len(INSTITUTIONS)],
                    "Enlace institucional",
                    "si" if has_protocol else "no",
                    str(2005 + number % 15) if has_protocol else "",
                    str(total),
                    str(number % (total + 1)),
                    str(round(100 * (number % (total + 1)) / total, 1)),
                    " ".join(picked),
                    *["1" if pillar in picked else "0" for pillar in PILLARS],
                    str(1 + number % 4),
                    str(1 + (number // 4) % 4),
                    f"{(number % 500) / 100:.2f}",
                    "2019-03-12",
                    "Sin observaciones" if number % 7 else "",
                    f"uuid:{instance}",
                    str(number + 1),
                    instance,
                    "2019-03-12T15:30:00",
                    "",
                    "",
                    "submitted_via_web",
                    "",
                    "vBench2019",
                    "",
                    str(number + 1),
                ]
            )


def _prepare() -> None:
    import io

    from ruta.instruments.demo import baseline_xlsform
    from ruta.instruments.models import Instrument, Submission
    from ruta.instruments.services import import_xlsform

    instrument = Instrument.objects.filter(form_id=FORM_ID).first()
    if instrument is None:
        import_xlsform(io.BytesIO(baseline_xlsform(FORM_ID)), user=None, file_name=f"{FORM_ID}.xlsx")
    else:
        Submission.objects.filter(instrument=instrument).delete()


def run(size: int, *, smoke: bool, runner: Callable[[list[str]], Measured] = run_measured) -> list[Result]:
    rows = min(size, SMOKE_ROWS) if smoke else FULL_ROWS
    names = (
        ("submissions_import_rows_per_s", "rows/s", RATE_GOAL, ">="),
        ("submissions_import_peak_rss_mb", "MB", RSS_GOAL_MB, "<="),
    )
    _prepare()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "kobo-export.csv"
        write_export(path, rows)
        measured = runner(["manage.py", "import_submissions", "--form", FORM_ID, str(path)])
    if measured.returncode != 0:
        why = f"import_submissions exited {measured.returncode}: {measured.stderr.strip()[-300:]}"
        return [missing(name, rows, metric, goal, op, why) for name, metric, goal, op in names]
    report = json.loads(measured.stdout)
    if report.get("imported") != rows:
        why = f"expected {rows} new rows, the command reported {report}"
        return [missing(name, rows, metric, goal, op, why) for name, metric, goal, op in names]
    note = f"{rows} KoBo CSV rows imported in {measured.seconds:.1f} s (child process, start-up included)"
    return [
        Result("submissions_import_rows_per_s", rows, "rows/s", rows / measured.seconds, RATE_GOAL, ">=", note=note),
        Result("submissions_import_peak_rss_mb", rows, "MB", measured.peak_rss_mb, RSS_GOAL_MB, "<=", note=note),
    ]
