"""A small, safe evaluator for the XPath subset XLSForms use in ``relevant``, ``constraint``,
``calculation`` and ``required``.

Expressions are tokenised and parsed into a tree of tuples, then walked; nothing is ever handed to
``eval``. Supported: ``${name}``, ``.``, numbers and quoted strings, ``or and = != < <= > >= + - *
div mod`` (and unary minus), parentheses and the functions in ``FUNCTIONS``. Anything else raises
``ExpressionError`` when parsed, which the XLSForm import turns into a warning naming the rows: the
form still works in ODK Collect, Ruta simply cannot evaluate that expression.

Values follow XPath 1.0 loosely, as ODK does: an unanswered question is the empty string, a
comparison is numeric when either side is a number, dates compare as ``YYYY-MM-DD`` strings and
convert to a number of days since 1970-01-01."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

Value = str | float | int | bool
Node = tuple[Any, ...]

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{[A-Za-z_][\w.\-]*\})
      | (?P<number>\d+(?:\.\d*)?|\.\d+)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
      | (?P<name>[A-Za-z_][\w\-]*(?::[A-Za-z_][\w\-]*)?)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)

# Binding power of each binary operator (higher binds tighter).
_BINARY = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}


class ExpressionError(ValueError):
    """An expression Ruta cannot parse or does not support."""


@dataclass(frozen=True)
class Context:
    """What an expression sees: ``lookup(name)`` answers ``${name}``, ``current`` answers ``.``."""

    lookup: Callable[[str], Value]
    current: Value = ""
    today: date | None = None


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(
                _("cannot read the expression at “%(text)s”") % {"text": text[position:].strip()[:20]}
            )
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.position = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(_("the expression ends too early"))
        self.position += 1
        return token

    def expect(self, value: str) -> None:
        _kind, text = self.take()
        if text != value:
            raise ExpressionError(_("expected “%(expected)s”, found “%(found)s”") % {"expected": value, "found": text})

    def parse(self) -> Node:
        node = self.expression(0)
        if self.peek() is not None:
            raise ExpressionError(_("unexpected “%(text)s”") % {"text": self.peek()[1]})  # type: ignore[index]
        return node

    def expression(self, min_power: int) -> Node:
        left = self.unary()
        while True:
            token = self.peek()
            if token is None or token[0] not in ("op", "name") or token[1] not in _BINARY:
                return left
            power = _BINARY[token[1]]
            if power <= min_power:
                return left
            self.take()
            left = ("binary", token[1], left, self.expression(power))

    def unary(self) -> Node:
        kind, text = self.take()
        if kind == "op" and text == "-":
            return ("negate", self.unary())
        if kind == "op" and text == "(":
            node = self.expression(0)
            self.expect(")")
            return node
        if kind == "ref":
            return ("ref", text[2:-1])
        if kind == "number":
            return ("literal", float(text) if "." in text else int(text))
        if kind == "string":
            return ("literal", text[1:-1])
        if kind == "dot":
            return ("current",)
        if kind == "name" and self.peek() == ("op", "("):
            if text not in FUNCTIONS:
                raise ExpressionError(_("the function %(name)s() is not supported in Ruta's web form") % {"name": text})
            self.take()
            arguments: list[Node] = []
            if self.peek() != ("op", ")"):
                arguments.append(self.expression(0))
                while self.peek() == ("op", ","):
                    self.take()
                    arguments.append(self.expression(0))
            self.expect(")")
            return ("call", text, arguments)
        raise ExpressionError(_("“%(text)s” is not supported in Ruta's web form") % {"text": text})


_PARSED: dict[str, Node] = {}


def parse(text: str) -> Node:
    """The tree of ``text`` (cached: a form's expressions are evaluated again on every submission)."""
    node = _PARSED.get(text)
    if node is None:
        node = _Parser(text).parse()
        if len(_PARSED) < 10_000:
            _PARSED[text] = node
    return node


def check(text: str) -> str | None:
    """The reason Ruta cannot evaluate ``text``, or None when it can."""
    try:
        parse(text)
    except ExpressionError as error:
        return str(error)
    return None


def references(text: str) -> set[str]:
    """The question names ``text`` refers to with ``${name}``."""
    return {kind_text[1][2:-1] for kind_text in _tokens(text) if kind_text[0] == "ref"}


def evaluate(text: str, context: Context) -> Value:
    return _eval(parse(text), context)


def truthy(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0 and not math.isnan(value)
    return value != ""


def number(value: Value) -> float:
    """XPath ``number()``: NaN when the value is not a number; a date is its day count since 1970."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return float((date.fromisoformat(text[:10]) - date(1970, 1, 1)).days)
    except ValueError:
        return math.nan


def text_of(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _compare(operator: str, left: Value, right: Value) -> bool:
    if operator in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = truthy(left) == truthy(right)
        elif isinstance(left, (int, float)) or isinstance(right, (int, float)):
            equal = number(left) == number(right)
        else:
            equal = left == right
        return equal if operator == "=" else not equal
    if isinstance(left, str) and isinstance(right, str) and _is_date(left) and _is_date(right):
        a: Any = left
        b: Any = right
    else:
        a, b = number(left), number(right)
        if math.isnan(a) or math.isnan(b):
            return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]


def _is_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def _arithmetic(operator: str, left: Value, right: Value) -> float:
    a, b = number(left), number(right)
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if b == 0 or math.isnan(b):
        return math.nan if operator == "mod" or a == 0 or math.isnan(a) else math.copysign(math.inf, a)
    if operator == "div":
        return a / b
    return math.fmod(a, b)


def _eval(node: Node, context: Context) -> Value:
    kind = node[0]
    if kind == "literal":
        return node[1]  # type: ignore[no-any-return]
    if kind == "ref":
        return context.lookup(node[1])
    if kind == "current":
        return context.current
    if kind == "negate":
        return -number(_eval(node[1], context))
    if kind == "binary":
        operator = node[1]
        if operator == "or":
            return truthy(_eval(node[2], context)) or truthy(_eval(node[3], context))
        if operator == "and":
            return truthy(_eval(node[2], context)) and truthy(_eval(node[3], context))
        left, right = _eval(node[2], context), _eval(node[3], context)
        if operator in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(operator, left, right)
        return _arithmetic(operator, left, right)
    name, arguments = node[1], node[2]
    if name == "if":  # lazy: only the branch taken is evaluated
        _arity(name, arguments, 3)
        return _eval(arguments[1] if truthy(_eval(arguments[0], context)) else arguments[2], context)
    try:
        return FUNCTIONS[name](context, *[_eval(argument, context) for argument in arguments])
    except TypeError:
        raise ExpressionError(f"{name}() was given {len(arguments)} argument(s)") from None


def _arity(name: str, arguments: list[Node] | tuple[Any, ...], count: int) -> None:
    if len(arguments) != count:
        raise ExpressionError(f"{name}() takes {count} argument(s)")


def _selected(context: Context, answer: Value, choice: Value) -> bool:
    return text_of(choice).strip() in text_of(answer).split()


def _round(context: Context, value: Value, digits: Value = 0) -> float:
    amount, places = number(value), int(number(digits))
    if math.isnan(amount):
        return amount
    factor = 10**places
    # XPath rounds halves up (towards +inf), unlike Python's banker's rounding.
    return math.floor(amount * factor + 0.5) / factor


def _int(context: Context, value: Value) -> float:
    amount = number(value)
    return amount if math.isnan(amount) or math.isinf(amount) else float(math.trunc(amount))


def _today(context: Context) -> str:
    return (context.today or timezone.localdate()).isoformat()


def _regex(context: Context, value: Value, pattern: Value) -> bool:
    try:
        return re.search(text_of(pattern), text_of(value)) is not None
    except re.error:
        return False


def _coalesce(context: Context, first: Value, second: Value) -> Value:
    return first if text_of(first) != "" else second


FUNCTIONS: dict[str, Callable[..., Value]] = {
    "selected": _selected,
    "count-selected": lambda context, answer: len(text_of(answer).split()),
    "string-length": lambda context, value=None: len(text_of(context.current if value is None else value)),
    "if": lambda context, *args: "",  # evaluated lazily in _eval
    "today": _today,
    "concat": lambda context, *values: "".join(text_of(value) for value in values),
    "number": lambda context, value: number(value),
    "int": _int,
    "round": _round,
    "coalesce": _coalesce,
    "regex": _regex,
    "not": lambda context, value: not truthy(value),
    "true": lambda context: True,
    "false": lambda context: False,
    "string": lambda context, value: text_of(value),
    "contains": lambda context, haystack, needle: text_of(needle) in text_of(haystack),
}
