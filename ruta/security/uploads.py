"""Upload checks for every app that accepts files: size, declared type, and the actual content.

Files are stored under a random name outside any guessable path (``random_upload_path``) and are
served only through a view that checks access (never from MEDIA_URL)."""

from __future__ import annotations

import secrets
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Allowed types: extension -> (content type, magic prefixes of the content).
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "csv": ("text/csv", ()),
    "txt": ("text/plain", ()),
}


def validate_upload(
    upload: Any, *, allowed: tuple[str, ...] = ("pdf", "png", "jpg", "jpeg"), max_bytes: int | None = None
) -> str:
    """Check an uploaded file; returns its normalised extension or raises a translated ValidationError."""
    limit = max_bytes or settings.RUTA_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        raise ValidationError(
            _("The file is too large (the limit is %(limit)s MB)."),
            code="file_too_large",
            params={"limit": round(limit / (1024 * 1024), 1)},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    extension = PurePath(str(getattr(upload, "name", "") or "")).suffix.lower().lstrip(".")
    if extension not in allowed or extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("This type of file is not accepted. Accepted: %(types)s."),
            code="file_type",
            params={"types": ", ".join(allowed)},
        )
    _content_type, magics = ALLOWED_TYPES[extension]
    head = upload.read(16)
    upload.seek(0)
    if magics and not any(head.startswith(magic) for magic in magics):
        raise ValidationError(_("The file's content does not match its type."), code="file_content")
    if not magics and b"\x00" in head:
        raise ValidationError(_("The file's content does not match its type."), code="file_content")
    return extension


def random_upload_path(instance: Any, filename: str) -> str:
    """For ``FileField(upload_to=...)``: a random name that reveals nothing and cannot be guessed."""
    extension = PurePath(filename).suffix.lower()[:8]
    return f"private/{instance._meta.label_lower.replace('.', '/')}/{secrets.token_urlsafe(24)}{extension}"
