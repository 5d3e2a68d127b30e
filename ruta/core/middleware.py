from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from ruta.core import inputs
from ruta.core.errors import NON_FIELD, error_body


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages with personal data must not linger in shared browsers' caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


# Room for a multipart body's boundaries, part headers and small fields beside the file.
MULTIPART_OVERHEAD = 64 * 1024


class RequestSizeLimitMiddleware:
    """Refuse a declared body above the limit with 413 before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.http import JsonResponse
        from django.template.response import TemplateResponse
        from django.utils.translation import gettext as _

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
            # A form with a file (evidence, materials, an XLSForm, a KoBo export): the file may be as
            # large as uploads allow; Django still holds the form's other fields to the small limit.
            limit = max(limit, settings.RUTA_UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD)
        if limit and length > limit:
            message = _("The submission is too large (%(size)s bytes; the limit is %(limit)s).") % {
                "size": length,
                "limit": limit,
            }
            if request.path.startswith("/api/") or request.path.startswith("/webhooks/"):
                return JsonResponse(
                    {"errors": {"non_field_errors": [{"code": "too_large", "message": message}]}}, status=413
                )
            response = TemplateResponse(request, "413.html", {"message": message}, status=413)
            return response.render()
        return self.get_response(request)


class InputGuardMiddleware:
    """Refuse with 400, before any parser or view runs, input that no field of Ruta accepts.

    - NUL characters in query strings, form posts and JSON bodies: PostgreSQL cannot store them in
      text, and they are a classic way to cut strings in half between layers. Of a multipart body
      only the text fields are inspected here: ``ruta.security.uploads.validate_upload`` checks files.
    - JSON nested deeper than ``inputs.MAX_JSON_DEPTH`` (the decoder would recurse until it fails).
    - Text that is not valid Unicode: lone surrogates in JSON, invalid UTF-8 in forms and query
      strings; the answer names the field.

    Every parser is behind this check: DRF's, Django's forms and the views that call ``json.loads``
    (JSON is sniffed as well as declared, since such a view parses whatever it is sent). Multipart
    text fields with invalid UTF-8 arrive as U+FFFD (Django decodes them with ``replace``), which
    is harmless downstream."""

    JSON_NUL = b"\\u0000"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        if refusal is None:
            return self.get_response(request)
        field, code, message = refusal
        if request.path.startswith(("/api/", "/webhooks/")) or "json" in request.META.get("CONTENT_TYPE", ""):
            return JsonResponse(error_body(field or NON_FIELD, code, message), status=400)
        text = f"{field}: {message}" if field else message
        # Plain text: the field name comes from the client and must not be read as markup.
        return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")

    def _refusal(self, request: HttpRequest) -> tuple[str | None, str, str] | None:
        from django.utils.translation import gettext as _

        nul = (None, "invalid_character", _("The request contains a character that is not allowed (NUL)."))
        not_unicode = _("This text contains a character that is not valid Unicode (a lone surrogate or invalid UTF-8).")
        query = inputs.wsgi_bytes(request.META.get("QUERY_STRING", ""))
        if b"\x00" in query or b"\x00" in unquote_to_bytes(query.replace(b"+", b" ")) or "\x00" in request.path:
            return nul
        if (bad := inputs.form_bad_text(query)) is not None:
            return bad.field, "invalid_character", not_unicode
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        content_type = request.META.get("CONTENT_TYPE", "").lower()
        if content_type.startswith("multipart/"):
            # The text fields only (DRF reuses what Django parsed here); files are checked apart.
            if any("\x00" in name or any("\x00" in value for value in values) for name, values in request.POST.lists()):
                return nul
            return None
        body = request.body
        if content_type.startswith("application/x-www-form-urlencoded"):
            if b"\x00" in body or b"\x00" in unquote_to_bytes(body.replace(b"+", b" ")):
                return nul
            bad = inputs.form_bad_text(body)
            return None if bad is None else (bad.field, "invalid_character", not_unicode)
        if not inputs.looks_like_json(content_type, body):
            return None
        if b"\x00" in body or self.JSON_NUL in body.lower():
            return nul
        if inputs.json_too_deep(body):
            message = _("The JSON body is nested deeper than %(limit)s levels.") % {"limit": inputs.MAX_JSON_DEPTH}
            return None, "too_deep", message
        bad = inputs.json_bad_text(body)
        return None if bad is None else (bad.field, "invalid_character", not_unicode)
