"""Text stored for later reading, rendered in the reader's language.

Timelines, notifications and histories are read long after they are written, by people who chose
other languages. So they store a ``Text``: an English msgid (marked with ``gettext_noop`` so it is
extracted) and its parameters, never a sentence already translated. ``render`` translates it in the
language active when it is shown (the page's, or the recipient's for an e-mail).

A parameter that must itself be translated (a status, an urgency, the name of a deadline) is a
nested ``Text`` or a lazy label (``Urgency.HIGH.label``): both are stored as their msgid."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import get_supported_language_variant, gettext, override, pgettext


@dataclass(frozen=True)
class Text:
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    context: str = ""  # the pgettext context, when one English word has several senses

    @classmethod
    def of(cls, label: Promise | str) -> Text:
        """The text of a lazy label (a choices label, a ``gettext_lazy``/``pgettext_lazy`` string),
        kept untranslated with its context; a plain ``str`` was already translated by whoever built
        it and is stored as it is."""
        if not isinstance(label, Promise):
            return cls(label)
        # A lazy string pickles as (function, its arguments): the msgid and context it was made of.
        func, args = cast(tuple[Any, tuple[Any, ...]], label.__reduce__()[1][:2])
        if func is pgettext and len(args) == 2:
            return cls(str(args[1]), context=str(args[0]))
        if func is gettext and len(args) == 1:
            return cls(str(args[0]))
        with override("en"):  # another lazy function: its English rendering is the msgid
            return cls(str(label))

    def render(self, language: str | None = None) -> str:
        if language:
            with override(language):
                return self._render()
        return self._render()

    def _render(self) -> str:
        params = {name: _render_param(value) for name, value in self.params.items()}
        translated = pgettext(self.context, self.msgid) if self.context else gettext(self.msgid)
        try:
            return translated % params if params else translated
        except (KeyError, ValueError, TypeError):
            # A translation that lost a placeholder must not hide the message: fall back to English.
            return self.msgid % params if params else self.msgid

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"msgid": self.msgid, "params": {k: _stored_param(v) for k, v in self.params.items()}}
        if self.context:
            data["context"] = self.context
        return data

    @classmethod
    def from_json(cls, data: Any) -> Text:
        if isinstance(data, dict) and "msgid" in data:
            return cls(str(data["msgid"]), dict(data.get("params") or {}), str(data.get("context") or ""))
        return cls(str(data or ""))  # plain stored text (older rows): shown as it is

    def __str__(self) -> str:
        return self.render()


def stored(value: Text | Promise | str) -> dict[str, Any] | str:
    """What a text field stores: a Text's JSON, or a plain string (already in its reader's language)."""
    if isinstance(value, Text):
        return value.as_json()
    if isinstance(value, Promise):
        return Text.of(value).as_json()
    return str(value)


def reader_language(user: Any) -> str:
    """The language a user reads messages in outside a page (e-mail): their preference, else the default."""
    try:
        return get_supported_language_variant(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _stored_param(value: Any) -> Any:
    if isinstance(value, Text):
        return value.as_json()
    if isinstance(value, Promise):
        return Text.of(value).as_json()
    return value


def _render_param(value: Any) -> Any:
    # A parameter may itself be a text to translate (e.g. the name of a deadline).
    if isinstance(value, Text):
        return value.render()
    if isinstance(value, dict) and "msgid" in value:
        return Text.from_json(value).render()
    return value
