"""Checking one answer against its question, the same way for the web form and for imported files.

Answers are stored as XForms store them, so an exported submission reads like ODK's own: integers
and decimals as numbers, dates as ``YYYY-MM-DD``, a multiple choice as its choice names separated by
spaces, everything else as text."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from ruta.instruments.xlsform import Field

Answer = str | int | float


class AnswerError(ValueError):
    pass


def choice_names(choices: dict[str, list[dict[str, Any]]]) -> dict[str, frozenset[str]]:
    return {
        list_name: frozenset(str(option.get("name", "")) for option in options)
        for list_name, options in choices.items()
    }


def coerce(field: Field, value: Any, names: dict[str, frozenset[str]]) -> Answer:
    """The stored form of ``value`` (not empty) for ``field``; ``AnswerError`` says what is wrong."""
    return converter(field, names)(value)


def converter(field: Field, names: dict[str, frozenset[str]]) -> Callable[[Any], Answer]:
    """``coerce`` for one question, chosen once: an import converts the same column 100,000 times."""
    kind = field.type
    if kind == "integer":
        return _integer
    if kind == "decimal":
        return _decimal
    if kind in ("date", "today"):
        return _date
    allowed = names.get(field.list_name)
    if kind == "select one":
        return lambda value: _one(value, allowed)
    if kind == "select all that apply":
        return lambda value: _many(value, allowed)
    return _text


def _one(value: Any, allowed: frozenset[str] | None) -> str:
    text = _text(value).strip()
    if allowed is not None and text not in allowed:
        raise AnswerError(_("“%(value)s” is not a choice of this question.") % {"value": text})
    return text


def _many(value: Any, allowed: frozenset[str] | None) -> str:
    picked = _text(value).split()
    unknown = [name for name in picked if allowed is not None and name not in allowed]
    if unknown:
        raise AnswerError(_("“%(value)s” is not a choice of this question.") % {"value": " ".join(unknown)})
    return " ".join(picked)


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _integer(value: Any) -> int:
    if type(value) is str and value.isdigit():
        return int(value)
    if isinstance(value, bool):
        raise AnswerError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if number.is_integer():
        return int(number)
    raise AnswerError(_("“%(value)s” is not a whole number.") % {"value": text})


def _decimal(value: Any) -> int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text)
        except ValueError:
            raise AnswerError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if math.isnan(number) or math.isinf(number):
        raise AnswerError(_("“%(value)s” is not a number.") % {"value": value})
    return int(number) if number.is_integer() else number


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return (
            date.fromisoformat(text[:10]).isoformat()
            if len(text) == 10 or text[10:11] in ("T", " ")
            else _bad_date(text)
        )
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> str:
    raise AnswerError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text})
