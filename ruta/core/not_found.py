"""Missing and forbidden records answer with the product's own "not found" page, DEBUG or not.

With DEBUG on, Django answers an ``Http404`` raised by a view with its technical page, which lists the
URL patterns and says which lookup failed: a user who opens a case that is not theirs would learn
more than "not found", and missing and forbidden would no longer look the same to a developer
testing access. URLs that match no pattern still get Django's page in development."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found


class NotFoundPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
