"""The formal screening engine: a pure function over a catalogue snapshot. No ORM, no I/O.

``screen(catalogue, screening_input)`` applies the ILO–EC method (DESIGN.md §3):

1. Child or adult. A person is a child when the age is known and under 18, or when the age is
   unknown and they are presumed a child. When the age is unknown and nobody said whether the person
   is presumed a child (``presumed_child`` omitted/None), the engine presumes a child: the protective
   default, because the child rule never requires the means and a child's consent never counts.
   A known age always wins over ``presumed_child``.
2. The applicable list: ``<child|adult>_<labour|sexual>``. When the sexual-exploitation list of that
   age group is not loaded, the labour list of the same age group is used and the rationale says so.
3. Every indicator code must belong to the applicable list: unknown codes and codes from another list
   are typed errors naming the codes (never silently ignored).
4. Each dimension is positive when the selected indicators meet one clause of the rule table's
   ``dimension_positive.any_of`` (each count is "at least").
5. The victim rule of the age group (``victim_child`` / ``victim_adult``) decides ``trafficking``;
   otherwise the ``possible`` rule (any positive dimension or any strong indicator) decides
   ``possible``; otherwise ``not_indicated``.
6. Commercial sexual exploitation of a child (``cse_child``) is a fact the screener records, only for
   a child: the outcome is then at least ``possible`` (the rule table still decides ``trafficking``).

The rule table (its default, validation and evaluation) is ``rules``; the rationale, stored as
reasons and worded in the reader's language, is ``rationale``; the errors are ``errors``.

The result always carries its rationale. Screening supports a decision by a person; it never decides
alone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ruta.screening.errors import (
    InvalidInputError,
    ListNotLoadedError,
    UnknownIndicatorError,
    WrongListError,
)
from ruta.screening.rationale import Reason, age_reasons, dimension_reason, reason, render_reason
from ruta.screening.rules import (
    DEFAULT_DIMENSIONS,
    STRENGTHS,
    DimensionStatus,
    clause_met,
    holds,
    still_needed,
    validate_rules,
)

EXPLOITATION_TYPES = ("labour", "sexual")
AGE_GROUPS = ("adult", "child")
OUTCOMES = ("trafficking", "possible", "not_indicated")
ADULT_AGE = 18
MAX_AGE = 130


# --- snapshot and input ------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    dimension: str
    strength: str
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ListDef:
    """One indicator list as loaded. ``age_group``/``exploitation`` are empty for lists that are not
    screening lists (the labour inspectors' forced-labour checklist): their codes are known but never
    valid for screening."""

    code: str
    age_group: str = ""
    exploitation: str = ""
    indicators: tuple[IndicatorDef, ...] = ()
    version: int = 1
    verified: bool = False

    @property
    def loaded(self) -> bool:
        return bool(self.indicators)

    def by_code(self) -> dict[str, IndicatorDef]:
        return {indicator.code: indicator for indicator in self.indicators}


@dataclass(frozen=True)
class RuleTable:
    rules: Mapping[str, Any]
    version: int = 1


@dataclass(frozen=True)
class Catalogue:
    lists: Mapping[str, ListDef]
    rules: RuleTable
    dimensions: tuple[str, ...] = DEFAULT_DIMENSIONS
    # Labels by dimension code, each a mapping language -> text.
    dimension_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def applicable(self, age_group: str, exploitation: str) -> ListDef | None:
        for item in self.lists.values():
            if item.age_group == age_group and item.exploitation == exploitation:
                return item
        return None

    def list_of(self, code: str) -> str | None:
        for item in self.lists.values():
            if any(indicator.code == code for indicator in item.indicators):
                return item.code
        return None


@dataclass(frozen=True)
class ScreeningInput:
    age: int | None
    presumed_child: bool | None
    exploitation: str
    indicators: tuple[str, ...]
    cse_child: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "age": self.age,
            "presumed_child": self.presumed_child,
            "exploitation": self.exploitation,
            "indicators": list(self.indicators),
            "cse_child": self.cse_child,
        }


# (DESIGN §3): codes of ``ruta.institutions`` institution types.
CSE_CHILD_REFERRALS = ("police", "prosecutor", "child_protection")


@dataclass(frozen=True)
class ScreeningResult:
    outcome: str
    child_rule: bool
    dimensions: dict[str, bool]
    reasons: list[Reason]
    list_code: str
    requested_list_code: str
    list_version: int
    list_verified: bool
    rules_version: int
    fallback: bool
    indicators_by_dimension: dict[str, list[dict[str, Any]]]
    dimension_labels: dict[str, dict[str, str]]
    dimension_status: dict[str, DimensionStatus] = field(default_factory=dict)
    cse_child: bool = False

    @property
    def suggested_referrals(self) -> list[str]:
        return list(CSE_CHILD_REFERRALS) if self.cse_child else []

    @property
    def rationale(self) -> list[str]:
        """The rationale as sentences in the active language."""
        return [render_reason(item) for item in self.reasons]

    def as_output(self) -> dict[str, Any]:
        """The public shape shared by ``manage.py screen`` and the API: the rationale as sentences in
        the active language."""
        return {
            "outcome": self.outcome,
            "child_rule": self.child_rule,
            "dimensions": dict(self.dimensions),
            "rationale": self.rationale,
            "list": self.list_code,
            "cse_child": self.cse_child,
        }

    def as_record(self) -> dict[str, Any]:
        """Everything needed to show this result again later, whatever the catalogue becomes, in the
        reader's language (the rationale is kept as reasons, not sentences)."""
        return {
            **self.as_output(),
            "rationale": [dict(item) for item in self.reasons],
            "requested_list": self.requested_list_code,
            "list_version": self.list_version,
            "list_verified": self.list_verified,
            "rules_version": self.rules_version,
            "fallback": self.fallback,
            "indicators_by_dimension": self.indicators_by_dimension,
            "dimension_labels": self.dimension_labels,
            "dimension_status": {code: status.as_json() for code, status in self.dimension_status.items()},
            "suggested_referrals": self.suggested_referrals,
        }


def parse_input(data: Any) -> ScreeningInput:
    """Validate a decoded JSON object (the ``screen`` command's stdin, the API body).

    ``age``: int >= 0 or null (missing means unknown); ``presumed_child``: true, false, null or
    missing; ``exploitation``: "labour" or "sexual"; ``indicators``: a list of strings (duplicates
    are dropped); ``cse_child``: true or false, missing means false, true only for a child. Other
    keys are ignored."""
    if not isinstance(data, dict):
        raise InvalidInputError({"non_field_errors": [("invalid", _("The input must be a JSON object."))]})
    errors: dict[str, list[tuple[str, str]]] = {}
    age = data.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE):
        errors.setdefault("age", []).append(
            ("invalid", _("Age must be a whole number from 0 to %(max)d, or null when unknown.") % {"max": MAX_AGE})
        )
    presumed_child = data.get("presumed_child")
    if presumed_child is not None and not isinstance(presumed_child, bool):
        errors.setdefault("presumed_child", []).append(("invalid", _("presumed_child must be true, false or null.")))
    exploitation = data.get("exploitation")
    if exploitation is None:
        errors.setdefault("exploitation", []).append(("required", _("exploitation is required.")))
    elif exploitation not in EXPLOITATION_TYPES:
        errors.setdefault("exploitation", []).append(("invalid", _('exploitation must be "labour" or "sexual".')))
    indicators = data.get("indicators")
    if indicators is None:
        errors.setdefault("indicators", []).append(("required", _("indicators is required (it may be empty).")))
    elif not isinstance(indicators, list) or not all(isinstance(code, str) for code in indicators):
        errors.setdefault("indicators", []).append(("invalid", _("indicators must be a list of indicator codes.")))
    cse_child = data.get("cse_child", False)
    if not isinstance(cse_child, bool):
        errors.setdefault("cse_child", []).append(("invalid", _("cse_child must be true or false.")))
    elif cse_child and "age" not in errors and "presumed_child" not in errors and not is_child(age, presumed_child):
        errors.setdefault("cse_child", []).append(("adult", cse_child_adult_message()))
    if errors:
        raise InvalidInputError(errors)
    return ScreeningInput(
        age=age,
        presumed_child=presumed_child,
        exploitation=str(exploitation),
        indicators=tuple(dict.fromkeys(indicators or [])),
        cse_child=bool(cse_child),
    )


def cse_child_adult_message() -> str:
    return _(
        "Commercial sexual exploitation of a child can be recorded only for a child (under 18, or age unknown "
        "and presumed a child); for an adult, screen for sexual exploitation with the indicators."
    )


# --- the screening -----------------------------------------------------------------------------


def is_child(age: int | None, presumed_child: bool | None) -> bool:
    if age is not None:
        return age < ADULT_AGE
    return presumed_child is not False


def _list_name(age_group: str, exploitation: str) -> str:
    names = {
        ("adult", "labour"): _("adults, labour exploitation"),
        ("adult", "sexual"): _("adults, sexual exploitation"),
        ("child", "labour"): _("children, labour exploitation"),
        ("child", "sexual"): _("children, sexual exploitation"),
    }
    return names.get((age_group, exploitation), f"{age_group}_{exploitation}")


def select_list(catalogue: Catalogue, *, child: bool, exploitation: str) -> tuple[ListDef, ListDef | None, bool]:
    """The list to use, the requested list (may be None or unloaded) and whether it fell back."""
    age_group = "child" if child else "adult"
    requested = catalogue.applicable(age_group, exploitation)
    if requested is not None and requested.loaded:
        return requested, requested, False
    if exploitation == "sexual":
        labour = catalogue.applicable(age_group, "labour")
        if labour is not None and labour.loaded:
            return labour, requested, True
    raise ListNotLoadedError(
        _("No indicator list is loaded for %(name)s; an administrator must import it.")
        % {"name": _list_name(age_group, exploitation)}
    )


def check_codes(catalogue: Catalogue, used: ListDef, codes: Sequence[str]) -> list[IndicatorDef]:
    known = used.by_code()
    unknown: list[str] = []
    elsewhere: dict[str, list[str]] = {}
    for code in codes:
        if code in known:
            continue
        other = catalogue.list_of(code)
        if other is None:
            unknown.append(code)
        else:
            elsewhere.setdefault(other, []).append(code)
    if unknown:
        raise UnknownIndicatorError(
            _("Unknown indicator code(s): %(codes)s.") % {"codes": ", ".join(unknown)},
            unknown,
        )
    if elsewhere:
        parts = [
            _("%(codes)s (list %(list)s)") % {"codes": ", ".join(found), "list": other}
            for other, found in elsewhere.items()
        ]
        wrong = [code for found in elsewhere.values() for code in found]
        raise WrongListError(
            _("Indicator code(s) from another list: %(parts)s; the applicable list is %(list)s (%(name)s).")
            % {
                "parts": "; ".join(parts),
                "list": used.code,
                "name": _list_name(used.age_group, used.exploitation),
            },
            wrong,
        )
    return [known[code] for code in codes]


def screen(catalogue: Catalogue, data: ScreeningInput) -> ScreeningResult:
    rules = catalogue.rules.rules
    validate_rules(rules, catalogue.dimensions)
    if data.exploitation not in EXPLOITATION_TYPES:
        raise InvalidInputError({"exploitation": [("invalid", _('exploitation must be "labour" or "sexual".'))]})
    child = is_child(data.age, data.presumed_child)
    if data.cse_child and not child:
        raise InvalidInputError({"cse_child": [("adult", cse_child_adult_message())]})
    age_group = "child" if child else "adult"
    used, requested, fallback = select_list(catalogue, child=child, exploitation=data.exploitation)
    selected = check_codes(catalogue, used, data.indicators)

    rationale: list[Reason] = []
    if fallback:
        # First, so that nobody reads the result without knowing which list it rests on.
        rationale.append(
            reason(
                gettext_noop(
                    "No sexual-exploitation list for %(group)s is loaded yet, so the %(list)s list "
                    "(labour exploitation, same age group) was used instead."
                ),
                group=reason(gettext_noop("children")) if child else reason(gettext_noop("adults")),
                list=used.code,
            )
        )
    rationale.extend(age_reasons(data.age, data.presumed_child, child))
    if data.cse_child:
        rationale.append(
            reason(
                gettext_noop(
                    "The screener recorded commercial sexual exploitation of a child (using, procuring or offering "
                    "a child for prostitution or pornography; ILO Convention 182, art. 3(b)): no means are needed "
                    "for a child, and the outcome is at least a possible case."
                )
            )
        )
    rationale.append(
        reason(
            gettext_noop("Indicator list used: %(list)s (version %(version)d)."), list=used.code, version=used.version
        )
    )
    if not used.verified:
        rationale.append(reason(gettext_noop("This list is not verified against the official source.")))

    by_dimension: dict[str, list[IndicatorDef]] = {code: [] for code in catalogue.dimensions}
    for indicator in selected:
        by_dimension.setdefault(indicator.dimension, []).append(indicator)
    clauses = rules["dimension_positive"]["any_of"]
    dimensions: dict[str, bool] = {}
    statuses: dict[str, DimensionStatus] = {}
    empty: list[str] = []
    for code in catalogue.dimensions:
        items = by_dimension.get(code, [])
        strengths = Counter(indicator.strength for indicator in items)
        met = next((clause for clause in clauses if clause_met(clause, strengths)), None)
        dimensions[code] = met is not None
        status = DimensionStatus(
            found={key: strengths[key] for key in STRENGTHS if strengths[key]},
            met=dict(met) if met is not None else None,
            needed=[] if met is not None else still_needed(clauses, strengths),
        )
        statuses[code] = status
        name = {"dimension": code, "labels": dict(catalogue.dimension_labels.get(code) or {})}
        line = dimension_reason(name, [(item.code, item.strength) for item in items], status)
        if line is not None:
            rationale.append(line)
        elif met is None:
            empty.append(code)
    if empty:
        rationale.append(
            reason(
                gettext_noop("No indicator recorded for %(dimensions)s; a dimension needs at least %(needed)s."),
                dimensions=", ".join(empty),
                needed={"clauses": [dict(clause) for clause in clauses]},
            )
        )

    all_strengths = Counter(indicator.strength for indicator in selected)
    rule_key = "victim_child" if child else "victim_adult"
    rule = rules[rule_key]
    rule_name = reason(gettext_noop("child rule")) if child else reason(gettext_noop("adult rule"))
    if holds(rule, dimensions, all_strengths):
        outcome = "trafficking"
        rationale.append(
            reason(
                gettext_noop("The %(rule)s, %(condition)s, is met: presumed victim of trafficking."),
                rule=rule_name,
                condition={"condition": rule},
            )
        )
        if child:
            rationale.append(
                reason(gettext_noop("For a child the means are never required and a child's consent never counts."))
            )
    else:
        rationale.append(
            reason(
                gettext_noop("The %(rule)s, %(condition)s, is not met."), rule=rule_name, condition={"condition": rule}
            )
        )
        positives = [code for code, value in dimensions.items() if value]
        strong = [indicator.code for indicator in selected if indicator.strength == "strong"]
        by_rule = holds(rules["possible"], dimensions, all_strengths)
        if by_rule or data.cse_child:
            outcome = "possible"
            reasons: list[Any] = []
            if by_rule and positives:
                reasons.append(reason(gettext_noop("positive dimension(s) %(codes)s"), codes=", ".join(positives)))
            if by_rule and strong:
                reasons.append(reason(gettext_noop("strong indicator(s) %(codes)s"), codes=", ".join(strong)))
            if by_rule and not reasons:
                reasons.append({"condition": rules["possible"]})
            if data.cse_child:
                reasons.append(reason(gettext_noop("commercial sexual exploitation of a child")))
            rationale.append(
                reason(
                    gettext_noop("Possible trafficking (%(reasons)s): further assessment is needed."),
                    reasons={"join": reasons, "sep": "; "},
                )
            )
        else:
            outcome = "not_indicated"
            rationale.append(
                reason(
                    gettext_noop("Not indicated: the rule for a possible case, %(condition)s, is not met."),
                    condition={"condition": rules["possible"]},
                )
            )
    return ScreeningResult(
        outcome=outcome,
        child_rule=child,
        dimensions=dimensions,
        reasons=rationale,
        list_code=used.code,
        requested_list_code=requested.code if requested is not None else f"{age_group}_{data.exploitation}",
        list_version=used.version,
        list_verified=used.verified,
        rules_version=catalogue.rules.version,
        fallback=fallback,
        indicators_by_dimension={
            code: [{"code": item.code, "strength": item.strength, "labels": dict(item.labels)} for item in items]
            for code, items in by_dimension.items()
            if items
        },
        dimension_labels={code: dict(catalogue.dimension_labels.get(code) or {}) for code in catalogue.dimensions},
        dimension_status=statuses,
        cse_child=data.cse_child,
    )
