"""Checks on raw request input, run before any parser (Django forms, DRF, ``json.loads`` in a view).

- JSON nested deeper than ``MAX_JSON_DEPTH``: Python's decoder recurses once per level, so
  ``[`` × 100,000 ends in ``RecursionError``. The depth is measured on the bytes, in linear passes
  that run in C, so a megabyte costs milliseconds whatever its shape.
- Text that is not Unicode scalar values: a JSON ``\\ud800`` escape decodes to a lone surrogate,
  which nothing downstream can encode (encryption, the database, the error renderer); invalid
  UTF-8 in a form or query string is silently turned into U+FFFD by Django. Both are refused,
  naming the field."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any
from urllib.parse import unquote_to_bytes

# Ruta's deepest payload is three levels (an alert, its persons, a person); clients get room to spare.
MAX_JSON_DEPTH = 32

# A JSON string, closed or not; possessive, and it always matches from a quote, so the scan stays
# linear whatever the quotes and backslashes (an unterminated string just runs to the end).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.?)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1
# Levels are summed in chunks so that ``[`` × 1,000,000 is refused after the first one.
_CHUNK = 65536
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class BadText:
    """Where the input is refused: the field (a path such as ``persons[0].sex``) or None for the whole body."""

    field: str | None


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside strings nest deeper than ``limit``; each step runs in C."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    if brackets.count(b"[") + brackets.count(b"{") <= limit:
        return False
    depth = 0
    for start in range(0, len(brackets), _CHUNK):
        levels = list(accumulate(map(_STEP.__getitem__, brackets[start : start + _CHUNK]), initial=depth))
        if max(levels) > limit:
            return True
        depth = levels[-1]
    return False


def looks_like_json(content_type: str, body: bytes) -> bool:
    """Views such as the messaging webhook parse JSON whatever the declared type, so sniff too."""
    return "json" in content_type or body.lstrip()[:1] in (b"[", b"{")


def json_bad_text(body: bytes) -> BadText | None:
    """The first string (key or value) that is not valid Unicode text, or None.

    Invalid UTF-8 bytes are decoded as lone surrogates (``surrogateescape``) so that they are
    reported on the field that holds them, like a ``\\ud800`` escape. A body that is not JSON at
    all is left to the parser, which answers 400 in its own words."""
    try:
        data = json.loads(body.decode("utf-8", "surrogateescape"))
    except ValueError:
        return None
    return _walk(data, "")


def _walk(value: Any, path: str) -> BadText | None:
    if isinstance(value, str):
        return BadText(path or None) if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{_printable(key)}" if path else _printable(key)
            if _SURROGATE.search(key):
                return BadText(here)
            if (found := _walk(item, here)) is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if (found := _walk(item, f"{path}[{index}]")) is not None:
                return found
    return None


def form_bad_text(raw: bytes) -> BadText | None:
    """The first name or value of ``application/x-www-form-urlencoded`` data that is not UTF-8."""
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        name_bytes = unquote_to_bytes(name.replace(b"+", b" "))
        for part in (name_bytes, unquote_to_bytes(value.replace(b"+", b" "))):
            try:
                part.decode("utf-8")
            except UnicodeDecodeError:
                return BadText(_printable(name_bytes.decode("utf-8", "replace")) or None)
    return None


def wsgi_bytes(value: str) -> bytes:
    """WSGI hands over raw bytes as latin-1 text; the test client may hand over any text."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


def _printable(name: str) -> str:
    """A field name that can itself be rendered in the error answer."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")
