"""Upload forms: an XLSForm, or a KoBoToolbox / ODK Central export of submissions."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

XLSX_MAGIC = b"PK\x03\x04"


def upload_limit() -> int:
    return int(settings.RUTA_UPLOAD_MAX_BYTES)


class TooLarge(Exception):
    """An upload over the limit: the view answers 413."""


def _checked(upload: Any, extensions: tuple[str, ...]) -> Any:
    if upload.size > upload_limit():
        raise TooLarge
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in extensions:
        raise forms.ValidationError(
            _("This type of file is not accepted. Accepted: %(types)s."), params={"types": ", ".join(extensions)}
        )
    head = upload.read(4)
    upload.seek(0)
    if (extension == "xlsx") != (head == XLSX_MAGIC):
        raise forms.ValidationError(_("The file's content does not match its type."))
    return upload


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(label=_("XLSForm (.xlsx)"))

    def clean_file(self) -> Any:
        return _checked(self.cleaned_data["file"], ("xlsx",))


class SubmissionUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file (CSV or XLSX)"),
        help_text=_("As downloaded from KoBoToolbox or ODK Central; the format is recognised by its columns."),
    )

    def clean_file(self) -> Any:
        return _checked(self.cleaned_data["file"], ("csv", "xlsx"))
