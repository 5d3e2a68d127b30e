"""What stops a screening from being computed: bad input, codes the applicable list does not hold, a
list that is not loaded, a rule table that is not valid. Every one is a ``ScreeningError``."""

from __future__ import annotations

from collections.abc import Sequence


class ScreeningError(ValueError):
    """Base class: anything that stops a screening from being computed."""


class InvalidInputError(ScreeningError):
    """The input has the wrong shape. ``errors`` maps a field to ``[(code, message), ...]``."""

    def __init__(self, errors: dict[str, list[tuple[str, str]]]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, items in errors.items() for _code, message in items))


class IndicatorCodeError(ScreeningError):
    """An indicator code cannot be used with the list that applies."""

    code = "invalid_indicator"

    def __init__(self, message: str, codes: Sequence[str]):
        self.codes = list(codes)
        super().__init__(message)


class UnknownIndicatorError(IndicatorCodeError):
    code = "unknown_indicator"


class WrongListError(IndicatorCodeError):
    code = "wrong_list"


class ListNotLoadedError(ScreeningError):
    """Neither the applicable list nor its labour fallback is in the catalogue."""

    code = "list_not_loaded"


class RuleTableError(ScreeningError):
    """The rule table is not valid."""

    code = "invalid_rules"
