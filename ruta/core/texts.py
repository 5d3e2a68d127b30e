"""Text stored for later reading, rendered in the reader's language.

Timelines, notifications and histories are read long after they are written, by people who chose
other languages. So they store a ``Text``: an English msgid (marked with ``gettext_noop`` so it is
extracted) and its parameters, never a sentence already translated. ``render`` translates it in the
language active when it is shown (the page's, or the recipient's for an e-mail)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, override


@dataclass(frozen=True)
class Text:
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: str | None = None) -> str:
        if language:
            with override(language):
                return self._render()
        return self._render()

    def _render(self) -> str:
        params = {name: _render_param(value) for name, value in self.params.items()}
        translated = gettext(self.msgid)
        try:
            return translated % params if params else translated
        except (KeyError, ValueError, TypeError):
            # A translation that lost a placeholder must not hide the message: fall back to English.
            return self.msgid % params if params else self.msgid

    def as_json(self) -> dict[str, Any]:
        return {"msgid": self.msgid, "params": self.params}

    @classmethod
    def from_json(cls, data: Any) -> Text:
        if isinstance(data, dict) and "msgid" in data:
            return cls(str(data["msgid"]), dict(data.get("params") or {}))
        return cls(str(data or ""))  # plain stored text (older rows): shown as it is

    def __str__(self) -> str:
        return self.render()


def _render_param(value: Any) -> Any:
    # A parameter may itself be a text to translate (e.g. the name of a deadline).
    if isinstance(value, dict) and "msgid" in value:
        return Text.from_json(value).render()
    return value
