"""One error shape for the whole API: ``{"errors": {field: [{"code", "message"}]}}``.

Codes are stable and machine-readable; messages are translated to the request's language."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ruta.core.errors import NON_FIELD, error_body

__all__ = ["NON_FIELD", "error_body", "error_response", "exception_handler"]


def _flatten(details: Any, prefix: str = "") -> dict[str, list[dict[str, str]]]:
    errors: dict[str, list[dict[str, str]]] = {}
    if isinstance(details, dict) and {"message", "code"} <= set(details):
        errors.setdefault(prefix or NON_FIELD, []).append(
            {"code": str(details["code"]), "message": str(details["message"])}
        )
    elif isinstance(details, dict):
        for key, value in details.items():
            name = NON_FIELD if key in ("non_field_errors", "__all__") else str(key)
            for field, items in _flatten(value, f"{prefix}.{name}" if prefix else name).items():
                errors.setdefault(field, []).extend(items)
    elif isinstance(details, list):
        for index, item in enumerate(details):
            nested = isinstance(item, dict) and not ({"message", "code"} <= set(item))
            path = f"{prefix}[{index}]" if nested else prefix
            for field, items in _flatten(item, path).items():
                errors.setdefault(field, []).extend(items)
    return errors


def error_response(field: str, code: str, message: str, http_status: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response(error_body(field, code, message), status=http_status)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, (Http404, PermissionDenied, exceptions.PermissionDenied)):
        # Forbidden and missing look the same.
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _flatten(exc.get_full_details())}
    elif isinstance(exc, exceptions.APIException):
        response.data = {"errors": {NON_FIELD: [{"code": str(exc.get_codes()), "message": str(exc.detail)}]}}
    return response
