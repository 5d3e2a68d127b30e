"""Adding a module is a folder and one line in INSTALLED_APPS: tests.plugin_app is installed only by
tests.plugin_app.settings, and a separate pytest run under those settings (checks.py, plus the
access matrix over its routes) shows it in every place people and the platform look."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_outside_the_module_names_it() -> None:
    assert "tests.plugin_app" not in settings.INSTALLED_APPS
    central = [ROOT / "ruta", ROOT / "pyproject.toml", ROOT / "manage.py"]
    files = [path for place in central for path in ([place] if place.is_file() else place.rglob("*"))]
    sources = [path for path in files if path.is_file() and path.suffix in {".py", ".html", ".toml", ".txt", ".js"}]
    naming = [str(path.relative_to(ROOT)) for path in sources if "plugin_app" in path.read_text()]
    assert naming == []


def test_the_module_appears_everywhere_once_installed() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--ds=tests.plugin_app.settings",
            "tests/plugin_app/checks.py",
            "tests/access/test_matrix.py",
            "-k",
            "checks or plugin_app or outreach or every_url_pattern or name_real_routes",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    # 9 checks, its 2 routes (each tried by every persona and the anonymous visitor), the two
    # completeness tests of the matrix.
    expected = 9 + 2 + 2
    assert re.search(rf"^{expected} passed\b", run.stdout, re.MULTILINE), run.stdout[-2000:]
