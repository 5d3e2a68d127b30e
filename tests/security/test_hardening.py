"""HTTP hardening: deploy checks, headers, no inline script or style, CSRF, uploads."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ruta.core.crypto import generate_key
from ruta.security.uploads import random_upload_path, validate_upload

ROOT = Path(__file__).resolve().parents[2]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "on…= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "ruta.example.org",
        "FIELD_ENCRYPTION_KEYS": generate_key(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }


def test_deploy_checks_pass_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_keys(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["FIELD_ENCRYPTION_KEYS"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_settings_values(tmp_path: Path) -> None:
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='ruta.settings';django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE,s.CSRF_COOKIE_SECURE,s.SECURE_HSTS_SECONDS>=31536000,s.SECURE_SSL_REDIRECT,"
        "s.SESSION_COOKIE_NAME.startswith('__Host-'),s.CSRF_COOKIE_HTTPONLY,s.X_FRAME_OPTIONS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "True", "DENY"]


def _templates() -> list[Path]:
    return sorted(p for p in (ROOT / "ruta").rglob("*.html") if "node_modules" not in p.parts)


def test_no_template_has_inline_script_or_style() -> None:
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert _templates(), "no templates found"
    assert not offenders, "inline script/style forbidden by the CSP:\n" + "\n".join(offenders)


def test_every_post_form_carries_a_csrf_token() -> None:
    missing = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*method=[\"']post[\"'][^>]*>.*?</form>", text, re.I | re.S):
            if "csrf_token" not in form:
                missing.append(str(path.relative_to(ROOT)))
    assert not missing, missing


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/api/v1/geo/departments/"])
def test_security_headers(client: Client, personas: Any, path: str) -> None:
    client.force_login(personas["analyst"])
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store" or "no-cache" in response["Cache-Control"]


def test_csrf_is_enforced_on_login(personas: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "analista", "password": "whatever-password"})
    assert response.status_code == 403


def test_upload_validation() -> None:
    pdf = SimpleUploadedFile("informe.PDF", b"%PDF-1.7\n...", content_type="application/pdf")
    assert validate_upload(pdf) == "pdf"
    with pytest.raises(ValidationError) as fake:
        validate_upload(SimpleUploadedFile("foto.png", b"<html><script>", content_type="image/png"))
    assert fake.value.code == "file_content"
    with pytest.raises(ValidationError) as kind:
        validate_upload(SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream"))
    assert kind.value.code == "file_type"
    with pytest.raises(ValidationError) as big:
        validate_upload(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048), max_bytes=1024)
    assert big.value.code == "file_too_large"
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("empty.pdf", b""))


def test_upload_paths_are_random(personas: Any) -> None:
    first = random_upload_path(personas["analyst"], "pasaporte de Marisol.jpg")
    second = random_upload_path(personas["analyst"], "pasaporte de Marisol.jpg")
    assert first != second and "Marisol" not in first and first.endswith(".jpg")
