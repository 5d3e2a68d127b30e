"""The Content-Security-Policy (set by django-csp): no inline script or style, nothing framed, and on
every answer, early refusals included."""

from __future__ import annotations

from django.test import Client

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
}


def _directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def test_the_policy_is_exactly_the_decided_one(client: Client, db: None) -> None:
    assert _directives(client.get("/accounts/login/")["Content-Security-Policy"]) == POLICY


def test_early_refusals_carry_the_policy(client: Client, db: None) -> None:
    refused = client.post("/track/", "code=%ff", content_type="application/x-www-form-urlencoded")
    assert refused.status_code == 400
    assert _directives(refused["Content-Security-Policy"]) == POLICY
    too_large = client.post("/track/", "code=" + "A" * 300_000, content_type="application/x-www-form-urlencoded")
    assert too_large.status_code == 413
    assert _directives(too_large["Content-Security-Policy"]) == POLICY
