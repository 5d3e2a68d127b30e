"""Running a command in a child process and measuring that child's own peak memory.

``ru_maxrss`` (``RUSAGE_CHILDREN``, ``os.wait4``, even the child's ``RUSAGE_SELF``) counts the memory
the child had between ``fork`` and ``exec`` — a copy of the benchmark's own large process — so it
reports the parent's size. The kernel's ``VmHWM`` (``/proc/self/status``) belongs to the address space
created by ``exec`` alone: the child reads it as it exits and leaves it in a file."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_WRAPPER = """
import atexit, runpy, sys
report = sys.argv[1]
def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                with open(report, "w") as out:
                    out.write(line.split()[1])
atexit.register(peak)
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float | None


def run_measured(arguments: list[str]) -> Measured:
    """``python <arguments>`` (a script and its arguments, e.g. ``["manage.py", "export_htcds", …]``)
    from the project root with this process's environment."""
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "peak"
        begin = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-c", _WRAPPER, str(report), *arguments],
            cwd=ROOT,
            env=os.environ.copy(),
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - begin
        peak_kb = float(report.read_text()) if report.exists() else None
    return Measured(
        completed.returncode, completed.stdout, completed.stderr, seconds, peak_kb / 1024 if peak_kb else None
    )
