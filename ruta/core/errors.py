"""The one error shape of every machine-readable answer: ``{"errors": {field: [{"code", "message"}]}}``.

It lives in the platform so that middleware refusing a request before any view (hostile input)
answers exactly like the API does; ``ruta.api.errors`` builds DRF responses on it."""

from __future__ import annotations

from typing import Any

NON_FIELD = "non_field_errors"


def error_body(field: str, code: str, message: str) -> dict[str, Any]:
    return {"errors": {field: [{"code": code, "message": message}]}}
