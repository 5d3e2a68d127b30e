"""A wrong setting stops start-up with a message naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ruta.core.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','ruta.settings'); "
            "django.setup(); print('ok')",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


GOOD = {
    "DEBUG": "0",
    "DATABASE_URL": "postgres://ruta@db.example.org:5432/ruta",
    "SECRET_KEY": "x" * 50,
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdCE=",
    "ALLOWED_HOSTS": "ruta.example.org",
}


def test_production_settings_start_when_complete() -> None:
    result = _start(GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS"),
        ({"FIELD_ENCRYPTION_KEYS": "not base64 !!"}, "FIELD_ENCRYPTION_KEYS"),
        ({"FIELD_ENCRYPTION_KEYS": "c2hvcnQ="}, "FIELD_ENCRYPTION_KEYS"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
)
def test_a_bad_setting_names_the_variable(change: dict[str, str], named: str) -> None:
    env = {**GOOD, **change}
    result = _start(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.splitlines()[-1]


def test_development_mode_needs_no_secrets() -> None:
    result = _start({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_embedded_mode_without_a_database_url_needs_no_secrets() -> None:
    """One-off commands on the local SQLite file (e.g. `manage.py screen`) run in a plain shell."""
    result = _start({})
    assert result.returncode == 0, result.stderr


def test_strict_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("RUTA_T_BOOL", "yes")
    assert env_bool("RUTA_T_BOOL", False) is True
    monkeypatch.setenv("RUTA_T_INT", "12x")
    with pytest.raises(ImproperlyConfigured, match="RUTA_T_INT"):
        env_int("RUTA_T_INT", 1)
    monkeypatch.setenv("RUTA_T_INT", "5")
    with pytest.raises(ImproperlyConfigured, match="at least 10"):
        env_int("RUTA_T_INT", 1, minimum=10)
    monkeypatch.setenv("RUTA_T_LIST", " a, b ,,c ")
    assert env_list("RUTA_T_LIST", []) == ["a", "b", "c"]
    with pytest.raises(ImproperlyConfigured, match="RUTA_T_MISSING"):
        env_str("RUTA_T_MISSING", required=True)


def test_secrets_can_come_from_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("RUTA_T_SECRET_FILE", str(secret))
    assert env_str("RUTA_T_SECRET") == "from-a-file"


def test_screen_works_in_a_fresh_checkout_without_setup(tmp_path: Path) -> None:
    """`manage.py screen` in a plain shell on a database nobody migrated yet (embedded mode)."""
    import json

    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"}}
    env.update({"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"})
    example = {
        "age": 15,
        "presumed_child": False,
        "exploitation": "labour",
        "indicators": ["THB-CL-DR-01", "THB-CL-DR-10", "THB-CL-EX-01", "THB-CL-EX-02"],
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "screen"],
        cwd=ROOT,
        env=env,
        input=json.dumps(example),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["outcome"] == "trafficking"
