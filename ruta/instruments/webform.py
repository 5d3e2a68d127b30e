"""One version of a form as Ruta's web form: what to show, and what an entry is worth.

``FormDefinition`` is the parsed survey of a version with its lookups. ``evaluate`` walks the
answers in document order, as ODK Collect does: a question whose ``relevant`` (or whose section's)
is false is dropped, calculations are computed, the relevant questions are type-checked, and
``required`` and ``constraint`` apply. The browser asks the same function which questions to show
(``hidden``) through a small JSON round trip, so the page and the server can never disagree about
an expression: there is only one evaluator.

Answers travel as the stored data does: ``{path: value}`` with each repeat a list of such dicts.
HTML inputs carry the path with repeat indices (``children[0]/age``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.instruments import expressions
from ruta.instruments.answers import AnswerError, choice_names, coerce
from ruta.instruments.models import InstrumentVersion
from ruta.instruments.xlsform import (
    ALWAYS,
    DISPLAY_TYPES,
    METADATA_TYPES,
    Field,
    fields_from_survey,
    localized,
)

INDEXED = re.compile(r"^(?P<repeat>[^\[\]]+)\[(?P<index>\d+)\]/(?P<rest>.+)$")
REFERENCE = re.compile(r"\$\{([A-Za-z_][\w.\-]*)\}")
MAX_REPEAT_INSTANCES = 200


@dataclass
class FormDefinition:
    version_id: int
    fields: list[Field]
    choices: dict[str, list[dict[str, Any]]]
    default_language: str
    names: dict[str, frozenset[str]] = field(default_factory=dict)
    by_name: dict[str, Field] = field(default_factory=dict)
    by_path: dict[str, Field] = field(default_factory=dict)
    repeat_of: dict[str, str] = field(default_factory=dict)  # field path -> nearest repeat path ("" = none)

    @classmethod
    def of(cls, version: InstrumentVersion) -> FormDefinition:
        definition = cls(
            version_id=version.pk,
            fields=fields_from_survey(version.survey),
            choices=version.choices,
            default_language=str(version.settings.get("default_language", "")),
        )
        definition.names = choice_names(version.choices)

        def index(items: list[Field], repeat: str) -> None:
            for item in items:
                definition.by_name.setdefault(item.name, item)
                definition.by_path[item.path] = item
                definition.repeat_of[item.path] = repeat
                index(item.children, item.path if item.is_repeat else repeat)

        index(definition.fields, "")
        return definition

    def label(self, text: Any) -> str:
        return localized(text, self.default_language)

    def options(self, item: Field) -> list[tuple[str, str]]:
        return [
            (str(option.get("name", "")), self.label(option.get("label", "")))
            for option in self.choices.get(item.list_name, [])
        ]


@dataclass(frozen=True)
class Metadata:
    """The values ODK Collect would fill itself, filled by the server."""

    start: str
    end: str
    today: str
    deviceid: str

    @classmethod
    def now(cls, *, start: str = "", device: str) -> Metadata:
        moment = timezone.localtime()
        return cls(
            start=start or moment.isoformat(timespec="seconds"),
            end=moment.isoformat(timespec="seconds"),
            today=timezone.localdate().isoformat(),
            deviceid=device,
        )


@dataclass
class Evaluation:
    data: dict[str, Any]
    errors: dict[str, str]  # html name -> message
    hidden: set[str]  # html names of irrelevant questions and sections
    values: dict[str, Any]  # html name -> current value (calculations included)


class _Walker:
    def __init__(self, definition: FormDefinition, metadata: Metadata | None, today: date | None) -> None:
        self.definition = definition
        self.metadata = metadata
        self.today = today
        self.top: dict[str, Any] = {}
        self.previous: dict[str, Any] = {}  # the previous round's answers, for forward references
        self.stack: list[tuple[str, dict[str, Any]]] = []  # (repeat path, that instance's values)
        self.errors: dict[str, str] = {}
        self.hidden: set[str] = set()
        self.values: dict[str, Any] = {}

    def lookup(self, name: str) -> expressions.Value:
        item = self.definition.by_name.get(name)
        if item is None:
            return ""
        repeat = self.definition.repeat_of.get(item.path, "")
        if not repeat:
            value = self.top.get(item.path, self.previous.get(item.path, ""))
        else:
            scope = next((values for path, values in reversed(self.stack) if path == repeat), None)
            value = scope.get(item.path, "") if scope is not None else ""
        return value if isinstance(value, (str, int, float, bool)) else ""

    def context(self, current: Any = "") -> expressions.Context:
        return expressions.Context(lookup=self.lookup, current=current if current is not None else "", today=self.today)

    def test(self, expression: str, *, current: Any = "", default: bool = True) -> bool:
        if not expression:
            return default
        try:
            return expressions.truthy(expressions.evaluate(expression, self.context(current)))
        except expressions.ExpressionError:
            return default  # reported as a warning when the form was imported

    def run(
        self,
        items: list[Field],
        raw: Mapping[str, Any],
        out: dict[str, Any],
        scope: str,
        html_prefix: str,
        relevant: bool,
    ) -> None:
        for item in items:
            html = html_prefix + (item.path[len(scope) + 1 :] if scope else item.path)
            shown = relevant and self.test(item.relevant)
            if not shown:
                self.hidden.add(html)
            if item.is_repeat:
                instances = raw.get(item.path) or []
                kept = []
                for number, instance_raw in enumerate(instances[:MAX_REPEAT_INSTANCES]):
                    instance: dict[str, Any] = {}
                    self.stack.append((item.path, instance))
                    self.run(
                        item.children,
                        instance_raw if isinstance(instance_raw, Mapping) else {},
                        instance,
                        item.path,
                        f"{html}[{number}]/",
                        shown,
                    )
                    self.stack.pop()
                    kept.append({key: value for key, value in instance.items() if value not in ("", None)})
                if shown and kept:
                    out[item.path] = kept
                continue
            if item.is_section:
                self.run(item.children, raw, out, scope, html_prefix, shown)
                continue
            self.leaf(item, raw, out, html, shown)

    def leaf(self, item: Field, raw: Mapping[str, Any], out: dict[str, Any], html: str, shown: bool) -> None:
        value: Any = ""
        if item.type in METADATA_TYPES:
            value = getattr(self.metadata, item.type, "") if self.metadata else raw.get(item.path, "")
        elif not shown or item.type in DISPLAY_TYPES:
            value = ""
        elif item.calculation:
            try:
                value = expressions.text_of(expressions.evaluate(item.calculation, self.context()))
            except expressions.ExpressionError:
                value = ""
        else:
            value = self.answer(item, raw.get(item.path, ""), html)
        out[item.path] = value
        if value not in ("", None):
            self.values[html] = value

    def answer(self, item: Field, given: Any, html: str) -> Any:
        if isinstance(given, (list, tuple)):
            given = " ".join(str(part) for part in given if part not in ("", None))
        if given is None or str(given).strip() == "":
            if self.required(item):
                self.errors[html] = self.definition.label(item.required_message) or _("This answer is required.")
            return ""
        try:
            value = coerce(item, given, self.definition.names)
        except AnswerError as error:
            self.errors[html] = str(error)
            return str(given)
        if item.constraint and not self.test(item.constraint, current=value):
            self.errors[html] = self.definition.label(item.constraint_message) or _("This answer is not accepted.")
        return value

    def required(self, item: Field) -> bool:
        rule = item.required.lower()
        if not rule or rule in ("no", "false", "false()", "0"):
            return False
        return rule in ALWAYS or self.test(item.required, default=False)


def evaluate(
    definition: FormDefinition, raw: Mapping[str, Any], *, metadata: Metadata | None, today: date | None = None
) -> Evaluation:
    """Evaluate an entry. Run twice so an expression that refers to a later question sees it."""
    walker = _Walker(definition, metadata, today)
    data: dict[str, Any] = {}
    for _round in range(2):
        walker.errors, walker.hidden, walker.values = {}, set(), {}
        walker.previous, data = walker.top, {}
        walker.top = data
        walker.run(definition.fields, raw, data, "", "", True)
    kept = {key: value for key, value in data.items() if value not in ("", None)}
    return Evaluation(data=kept, errors=walker.errors, hidden=walker.hidden, values=walker.values)


def raw_from_post(definition: FormDefinition, post: Any) -> dict[str, Any]:
    """The answers in a posted web form (``QueryDict``), shaped like stored data."""
    raw: dict[str, Any] = {}
    for key in post:
        _place(definition, raw, key, post.getlist(key))
    return raw


def _place(definition: FormDefinition, target: dict[str, Any], key: str, values: list[str], scope: str = "") -> None:
    match = INDEXED.match(key)
    if match:
        repeat_path = f"{scope}/{match['repeat']}" if scope else match["repeat"]
        item = definition.by_path.get(repeat_path)
        index = int(match["index"])
        if item is None or not item.is_repeat or index >= MAX_REPEAT_INSTANCES:
            return
        instances = target.setdefault(repeat_path, {})
        _place(definition, instances.setdefault(index, {}), match["rest"], values, repeat_path)
        return
    path = f"{scope}/{key}" if scope else key
    item = definition.by_path.get(path)
    if item is None or item.is_section:
        return
    target[path] = values if item.type == "select all that apply" else (values[-1] if values else "")


def _ordered(raw: dict[str, Any]) -> dict[str, Any]:
    """Repeat instances posted as ``{index: {...}}`` become lists in index order."""
    result: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            result[key] = [_ordered(value[index]) for index in sorted(value)]
        else:
            result[key] = value
    return result


def answers_from_post(definition: FormDefinition, post: Any) -> dict[str, Any]:
    return _ordered(raw_from_post(definition, post))


# Rendering ---------------------------------------------------------------------------------------

INPUT_KIND = {"integer": "number", "decimal": "number", "date": "date", "text": "text"}


def render_tree(
    definition: FormDefinition, answers: Mapping[str, Any], evaluation: Evaluation | None
) -> list[dict[str, Any]]:
    """Nodes for ``instruments/_fields.html``; ``answers`` as ``answers_from_post`` gives them."""
    errors = evaluation.errors if evaluation else {}
    hidden = evaluation.hidden if evaluation else set()
    values = evaluation.values if evaluation else {}
    return _nodes(definition, definition.fields, answers, "", "", errors, hidden, values)


def _nodes(
    definition: FormDefinition,
    items: list[Field],
    answers: Mapping[str, Any],
    scope: str,
    html_prefix: str,
    errors: dict[str, str],
    hidden: set[str],
    values: dict[str, Any],
) -> list[dict[str, Any]]:
    nodes = []
    for item in items:
        if item.type in METADATA_TYPES or (item.type == "calculate" and not item.label):
            continue
        html = html_prefix + (item.path[len(scope) + 1 :] if scope else item.path)
        node: dict[str, Any] = {
            "kind": _kind(item),
            "html": html,
            "dom_id": "q-" + re.sub(r"[^\w-]", "-", html),
            "label": _substitute(definition.label(item.label), definition, values, html_prefix),
            "hint": definition.label(item.hint),
            "hidden": html in hidden,
            "error": errors.get(html, ""),
            "required": item.required.lower() in ALWAYS,
            "relevant": bool(item.relevant),
            "live_label": bool(REFERENCE.search(definition.label(item.label))),
        }
        if item.is_repeat:
            given = answers.get(item.path) or []
            node["instances"] = [
                {
                    "index": number,
                    "children": _nodes(
                        definition, item.children, instance, item.path, f"{html}[{number}]/", errors, hidden, values
                    ),
                }
                for number, instance in enumerate(given if given else [{}])
            ]
            placeholder = f"__{item.path}__"
            node["placeholder"] = placeholder
            node["template"] = _nodes(
                definition, item.children, {}, item.path, f"{html}[{placeholder}]/", {}, set(), {}
            )
        elif item.is_section:
            node["children"] = _nodes(definition, item.children, answers, scope, html_prefix, errors, hidden, values)
        else:
            given = answers.get(item.path, item.default)
            node["value"] = values.get(html, given) if item.type == "calculate" else given
            node["selected"] = set(given if isinstance(given, list) else str(given or "").split())
            node["options"] = definition.options(item) if item.list_name else []
            node["input_type"] = INPUT_KIND.get(item.type, "text")
            node["step"] = "any" if item.type == "decimal" else "1"
        nodes.append(node)
    return nodes


def _kind(item: Field) -> str:
    if item.is_repeat:
        return "repeat"
    if item.is_section:
        return "group"
    return {
        "select one": "select_one",
        "select all that apply": "select_multiple",
        "note": "note",
        "calculate": "calculate",
    }.get(item.type, "input")


def _substitute(label: str, definition: FormDefinition, values: dict[str, Any], html_prefix: str) -> str:
    """``${name}`` in a label or note shows the current answer, as ODK does."""

    def value(match: re.Match[str]) -> str:
        item = definition.by_name.get(match.group(1))
        if item is None:
            return ""
        for key in (html_prefix + item.name, item.path):
            if key in values:
                return expressions.text_of(values[key])
        return ""

    return REFERENCE.sub(value, label)


def live_labels(nodes: list[dict[str, Any]]) -> dict[str, str]:
    """The labels and notes that show answers (``${name}``), by input name, for the page to refresh."""
    found: dict[str, str] = {}
    for node in nodes:
        if node["live_label"]:
            found[node["html"]] = node["label"]
        for child in node.get("children", []):
            found.update(live_labels([child]))
        for instance in node.get("instances", []):
            found.update(live_labels(instance["children"]))
    return found
