"""Password rules on top of Django's (length, similarity, common list, numeric)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words an attacker tries first against this system, beyond Django's list of common passwords.
CONTEXT_WORDS = ("ruta", "honduras", "cicesct", "trata", "password", "contrasena", "contraseña", "145")


class ContextWordsValidator:
    """Refuse passwords built around the system's own name, the country or the hotline number."""

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.casefold()
        stripped = "".join(ch for ch in lowered if ch.isalpha())
        for word in CONTEXT_WORDS:
            if word.isdigit():
                continue
            if stripped and len(stripped) - len(word) < 6 and word in stripped:
                raise ValidationError(
                    _("This password is too easy to guess: it is mostly the word “%(word)s”."),
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        return _("Your password cannot be built mostly around the name of this system, the country or the commission.")
