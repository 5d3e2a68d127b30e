from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No inline script or style anywhere: every script and stylesheet is a file served by us.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "worker-src 'self'",
        "manifest-src 'self'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages with personal data must not linger in shared browsers' caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


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


class NullByteGuardMiddleware:
    """Refuse NUL characters in query strings, form posts and JSON bodies with 400.

    No field of Ruta accepts them, PostgreSQL cannot store them in text, and they are a classic
    way to cut strings in half between layers. Of a multipart body only the text fields are
    inspected here: ``ruta.security.uploads.validate_upload`` checks files."""

    JSON_NUL = b"\\u0000"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext as _

            message = _("The request contains a character that is not allowed (NUL).")
            if request.path.startswith(("/api/", "/webhooks/")):
                return JsonResponse(
                    {"errors": {"non_field_errors": [{"code": "invalid_character", "message": message}]}}, status=400
                )
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    def _has_nul(self, request: HttpRequest) -> bool:
        from urllib.parse import unquote_to_bytes

        query = request.META.get("QUERY_STRING", "")
        if "\x00" in query or b"\x00" in unquote_to_bytes(query.replace("+", " ")):
            return True
        if "\x00" in request.path:
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        if content_type.startswith("multipart/"):
            # The text fields only (DRF reuses what Django parsed here); files are checked apart.
            return any(
                "\x00" in name or any("\x00" in value for value in values) for name, values in request.POST.lists()
            )
        body = request.body
        if content_type.startswith("application/x-www-form-urlencoded"):
            return b"\x00" in body or b"\x00" in unquote_to_bytes(body.replace(b"+", b" "))
        if "json" in content_type:
            return b"\x00" in body or self.JSON_NUL in body.lower()
        return False
