"""Reads of the catalogue and of screening records.

The catalogue is reference data (no personal data): anyone holding ``SCREENING_RUN`` or
``CATALOGUE_MANAGE`` may read it. Screening records belong to a subject (an alert, a case…): the app
that owns the subject checks that the actor may see it before listing its screenings."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from ruta.policy import access
from ruta.screening import engine
from ruta.screening.models import Dimension, Indicator, IndicatorList, RuleTable, ScreeningRecord
from ruta.screening.rules import DEFAULT_DIMENSIONS, DEFAULT_RULES

access.register(ScreeningRecord, access.ScopeRules(own=lambda user: Q(created_by=user)))


def active_rule_table() -> RuleTable | None:
    return RuleTable.objects.filter(code="default").first()


def catalogue_snapshot() -> engine.Catalogue:
    """The active catalogue as plain data for the engine (four queries)."""
    lists = list(IndicatorList.objects.all())
    rows = (
        Indicator.objects.filter(is_active=True)
        .values_list("indicator_list_id", "code", "dimension__code", "strength", "labels")
        .order_by("indicator_list_id", "position", "code")
    )
    by_list: dict[int, list[engine.IndicatorDef]] = {}
    for list_id, code, dimension, strength, labels in rows:
        by_list.setdefault(list_id, []).append(
            engine.IndicatorDef(code=code, dimension=dimension or "", strength=strength, labels=labels or {})
        )
    dimensions = list(Dimension.objects.all())
    table = active_rule_table()
    return engine.Catalogue(
        lists={
            item.code: engine.ListDef(
                code=item.code,
                age_group=item.age_group,
                exploitation=item.exploitation,
                indicators=tuple(by_list.get(item.pk, ())),
                version=item.version,
                verified=item.is_verified,
            )
            for item in lists
        },
        rules=engine.RuleTable(rules=table.rules if table else DEFAULT_RULES, version=table.version if table else 0),
        dimensions=tuple(d.code for d in dimensions) or DEFAULT_DIMENSIONS,
        dimension_labels={d.code: d.labels for d in dimensions},
    )


def catalogue_lists(*, include_inactive: bool = False) -> QuerySet[IndicatorList]:
    """Every list with its rows (active ones unless asked) and their dimension: two queries."""
    rows = Indicator.objects.select_related("dimension").order_by("position", "code")
    if not include_inactive:
        rows = rows.filter(is_active=True)
    return IndicatorList.objects.select_related("imported_by").prefetch_related(
        Prefetch("indicators", queryset=rows, to_attr="rows")
    )


def dimensions() -> list[Dimension]:
    return list(Dimension.objects.all())


@dataclass(frozen=True)
class IndicatorChoice:
    code: str
    label: str
    strength: str
    strength_label: str
    dimension: str


@dataclass(frozen=True)
class DimensionGroup:
    code: str
    label: str
    indicators: list[IndicatorChoice]


@dataclass(frozen=True)
class FormList:
    """The applicable list for a form: which list, whether it is a fallback, rows by dimension."""

    code: str
    label: str
    requested_code: str
    fallback: bool
    verified: bool
    verification_label: str
    source: str
    groups: list[DimensionGroup]

    @property
    def codes(self) -> set[str]:
        return {item.code for group in self.groups for item in group.indicators}


@dataclass(frozen=True)
class FormCatalogue:
    """What screening forms read, loaded once for a page that shows a form per person (3 queries)."""

    lists: dict[tuple[str, str], IndicatorList]
    active_rows: dict[int, list[Indicator]]  # by list id, in the order the form shows them
    dimensions: list[Dimension]

    @property
    def active_codes(self) -> list[str]:
        return [row.code for rows in self.active_rows.values() for row in rows]


def form_catalogue() -> FormCatalogue:
    rows: dict[int, list[Indicator]] = {}
    for row in Indicator.objects.filter(is_active=True).select_related("dimension").order_by("position", "code"):
        rows.setdefault(row.indicator_list_id, []).append(row)
    return FormCatalogue(
        lists={(item.age_group, item.exploitation): item for item in IndicatorList.objects.exclude(age_group="")},
        active_rows=rows,
        dimensions=list(Dimension.objects.all()),
    )


def form_list(
    *, age: int | None, presumed_child: bool | None, exploitation: str, catalogue: FormCatalogue | None = None
) -> FormList | None:
    """The list that applies to these answers, grouped by dimension, labels in the active language."""
    catalogue = catalogue or form_catalogue()
    child = engine.is_child(age, presumed_child)
    age_group = "child" if child else "adult"
    requested = catalogue.lists.get((age_group, exploitation))
    rows: list[Indicator] = []
    chosen = requested
    if requested is not None:
        rows = catalogue.active_rows.get(requested.pk, [])
    fallback = False
    if not rows and exploitation == "sexual":
        chosen = catalogue.lists.get((age_group, "labour"))
        rows = catalogue.active_rows.get(chosen.pk, []) if chosen else []
        fallback = True
    if chosen is None or not rows:
        return None
    groups: dict[str, DimensionGroup] = {}
    for dimension in catalogue.dimensions:
        groups[dimension.code] = DimensionGroup(dimension.code, dimension.label, [])
    for row in rows:
        code = row.dimension.code if row.dimension else ""
        group = groups.setdefault(code, DimensionGroup(code, code, []))
        group.indicators.append(IndicatorChoice(row.code, row.label, row.strength, row.get_strength_display(), code))
    return FormList(
        code=chosen.code,
        label=chosen.label,
        requested_code=requested.code if requested else f"{age_group}_{exploitation}",
        fallback=fallback,
        verified=chosen.is_verified,
        verification_label=str(chosen.get_verification_display()),
        source=chosen.source,
        groups=[group for group in groups.values() if group.indicators],
    )


def screening_records_for_subject(*, subject_type: str, subject_id: str | int) -> QuerySet[ScreeningRecord]:
    """The screenings of one subject, newest first. Call only after checking the actor may see the
    subject (alerts and cases do that with their own access rules)."""
    return ScreeningRecord.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).select_related(
        "created_by"
    )
