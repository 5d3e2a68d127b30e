"""The HTCDS export: presumed victims in the IOM Human Trafficking Case Data Standard, k-anonymous.

One row per presumed victim of a case (a person in two cases is two registrations, as in the
Counter-Trafficking Data Collaborative's data), only when the person's latest consent for the
``statistics`` purpose in that case is in force. Columns carry HTCDS v2.0 field names and picklist
codes (``data/htcds_fields.yaml``, transcribed from the standard's official ODS); identity fields of
the standard (names, birth date, contacts, addresses) are never exported.

k-anonymity is over the quasi-identifiers: sex, age, citizenship, place and date. Each has a ladder
of generalisations (age: bands → child/adult; citizenship: country → home country or ``XX``; place:
municipality → department → country only; date: month → year). The export takes the least
generalised combination (fewest steps up the ladders, then fewest rows suppressed) whose rows in
groups smaller than k are at most ``MAX_SUPPRESSED_SHARE`` of all rows, and drops the rows of the
groups still under k (counted as ``suppressed``). The counts that choose it come from one grouped
query; the rows are then streamed, so memory stays flat however many persons there are.

The file is written under a temporary name and renamed when complete: an interrupted export never
leaves a partial file where a complete one is expected."""

from __future__ import annotations

import csv
import itertools
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any, Protocol

import yaml
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_noop

from ruta.cases.models import (
    CasePerson,
    CasePersonRole,
    Consent,
    ConsentPurpose,
    ExploitationType,
    IdentificationDecision,
    IdentificationOutcome,
    Stage,
)
from ruta.geo.models import Municipality
from ruta.institutions.models import InstitutionType
from ruta.persons.models import AgeGroup, Sex
from ruta.statistics.models import HtcdsFormat

FIELDS_FILE = Path(__file__).resolve().parent / "data" / "htcds_fields.yaml"
DEFAULT_K = 11
# Above this share of suppressed rows, the export generalises further rather than drop more rows.
MAX_SUPPRESSED_SHARE = 0.05
# Salesforce, where HTCDS began, separates the values of a multi-select picklist with semicolons.
MULTI_SEPARATOR = ";"
# ISO 3166-1 reserves XX for user assignment; here it stands for "another country" once
# citizenship is generalised.
OTHER_COUNTRY = "XX"
CHILD_BAND, ADULT_BAND = "0-17", "18+"
# The age bins of the CTDC's k-anonymised global dataset (see data/htcds_fields.yaml).
AGE_BANDS = ((0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47), (48, None))
# What each generalisation does, in the report (the web page shows them translated).
AGE_BANDS_RULE = gettext_noop("age bands 0-8, 9-17, 18-20, 21-23, 24-26, 27-29, 30-38, 39-47, 48+")
CHILD_ADULT_RULE = gettext_noop("age bands 0-17, 18+")
CITIZENSHIP_RULE = gettext_noop("the home country, or XX for any other country")
DEPARTMENT_RULE = gettext_noop("department (municipality removed)")
COUNTRY_RULE = gettext_noop("country only (department and municipality removed)")
MONTH_RULE = gettext_noop("month (YYYY-MM)")
YEAR_RULE = gettext_noop("year (YYYY)")

COLUMNS = [
    "prs_Gender",
    "prs_Citizenship",
    "vic_AgeWhenTrafficked",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_TypeOfExploitation",
    "hte_Type",
    "hte_Country",
    "hte_State",
    "hte_City",
    "hte_Date",
    "cas_Status",
    "con_Consent",
]

GENDER = {
    Sex.FEMALE: "Feminine",
    Sex.MALE: "Masculine",
    # HTCDS records gender, not sex characteristics: intersex says nothing about gender.
    Sex.INTERSEX: "NonSpecifiedUnknown",
    Sex.UNKNOWN: "NonSpecifiedUnknown",
}
EXPLOITATION = {
    ExploitationType.SEXUAL: "SexualExploitation",
    ExploitationType.LABOUR: "ForcedLabour",
    ExploitationType.DOMESTIC_SERVITUDE: "Servitude",
    ExploitationType.FORCED_BEGGING: "ForcedBegging",
    ExploitationType.FORCED_CRIME: "Other",
    ExploitationType.FORCED_MARRIAGE: "ForcedMarriage",
    ExploitationType.ILLEGAL_ADOPTION: "ForcedAdoption",
    ExploitationType.ORGAN_REMOVAL: "OrganRemoval",
    ExploitationType.OTHER: "Other",
    ExploitationType.UNKNOWN: "",
}
DECISION_MAKER = {
    InstitutionType.POLICE: "Police",
    InstitutionType.PROSECUTOR: "CourtOrProsecution",
    InstitutionType.JUDICIARY: "CourtOrProsecution",
    InstitutionType.NGO: "NGO",
    InstitutionType.INTERNATIONAL: "Other",
    InstitutionType.OTHER: "Other",
}
GOVERNMENT_DECISION_MAKER = "NonPoliceGovernmentalOrganization"
TRAFFICKING_STATUS = {
    IdentificationOutcome.IDENTIFIED: "ActualVictimOfTrafficking",
    IdentificationOutcome.NOT_IDENTIFIED: "NotAVictimOfTrafficking",
}
PRESUMED = "PossibleVictimOfTrafficking"


class HtcdsError(Exception):
    """A request the export cannot honour (bad k, unknown format)."""


@dataclass(frozen=True)
class HtcdsField:
    name: str
    section: str
    type: str
    values: frozenset[str]


@cache
def field_catalogue() -> dict[str, HtcdsField]:
    """The standard's fields by name, with the codes of each picklist."""
    document = yaml.safe_load(FIELDS_FILE.read_text(encoding="utf-8"))
    catalogue: dict[str, HtcdsField] = {}
    for section in document["sections"]:
        for item in section.get("fields") or []:
            values = frozenset(str(value["code"]) for value in item.get("values") or [])
            catalogue[item["name"]] = HtcdsField(item["name"], section["section"], item.get("type", ""), values)
    return catalogue


# --- the quasi-identifiers' ladders ----------------------------------------------------------------


def _age_band(age: int | None) -> str:
    if age is None:
        return ""
    for low, high in AGE_BANDS:
        if high is None or age <= high:
            return f"{low}+" if high is None else f"{low}-{high}"
    return ""  # unreachable: the last band is open


def _child_or_adult(age: int | None) -> str:
    if age is None:
        return ""
    return CHILD_BAND if age < 18 else ADULT_BAND


@dataclass(frozen=True)
class Place:
    department: str
    municipality: str


@dataclass(frozen=True)
class Ladder:
    """How one quasi-identifier is published at each level (level 0 is the least generalised)."""

    columns: tuple[str, ...]
    rules: tuple[str, ...]  # what each level means, for the report ("" = published as stored)
    levels: tuple[Callable[[Any], tuple[str, ...]], ...]

    def publish(self, level: int, value: Any) -> tuple[str, ...]:
        return self.levels[level](value)


def _ladders(home_country: str, places: dict[int, Place]) -> dict[str, Ladder]:
    def place(municipality_id: int | None) -> Place:
        return places.get(municipality_id or 0, Place("", ""))

    return {
        "sex": Ladder(("prs_Gender",), ("",), (lambda sex: (GENDER.get(sex, "NonSpecifiedUnknown"),),)),
        "age": Ladder(
            ("vic_AgeWhenTrafficked",),
            (AGE_BANDS_RULE, CHILD_ADULT_RULE),
            (lambda age: (_age_band(age),), lambda age: (_child_or_adult(age),)),
        ),
        "citizenship": Ladder(
            ("prs_Citizenship",),
            ("", CITIZENSHIP_RULE),
            (
                lambda country: ((country or "").upper(),),
                lambda country: (
                    (home_country if (country or "").upper() == home_country else OTHER_COUNTRY) if country else "",
                ),
            ),
        ),
        "place": Ladder(
            ("hte_State", "hte_City"),
            ("", DEPARTMENT_RULE, COUNTRY_RULE),
            (
                lambda municipality: (place(municipality).department, place(municipality).municipality),
                lambda municipality: (place(municipality).department, ""),
                lambda municipality: ("", ""),
            ),
        ),
        "date": Ladder(
            ("hte_Date",),
            (MONTH_RULE, YEAR_RULE),
            (
                lambda month: (f"{month[0]:04d}-{month[1]:02d}" if month[0] else "",),
                lambda month: (f"{month[0]:04d}" if month[0] else "",),
            ),
        ),
    }


# --- the registrations ------------------------------------------------------------------------------


def registrations(*, include_synthetic: bool = False) -> QuerySet[CasePerson]:
    """The presumed victims whose latest statistics consent in the case is in force."""
    latest = Consent.objects.filter(
        case_id=OuterRef("case_id"), person_id=OuterRef("person_id"), purpose=ConsentPurpose.STATISTICS
    ).order_by("-recorded_at", "-id")
    in_force = Consent.objects.filter(pk=OuterRef("statistics_consent"), granted=True, withdrawn_at__isnull=True)
    queryset = (
        CasePerson.objects.filter(role=CasePersonRole.PRESUMED_VICTIM, person__merged_into__isnull=True)
        .annotate(statistics_consent=Subquery(latest.values("pk")[:1]))
        .filter(Exists(in_force))
    )
    if not include_synthetic:
        queryset = queryset.filter(case__is_synthetic=False, person__is_synthetic=False)
    return queryset


QUASI_IDENTIFIERS = ("sex", "age", "citizenship", "place", "date")
_RAW = {
    "sex": "person__sex",
    "age": "person__age_years",
    "citizenship": "person__nationality",
    "place": "case__municipality_id",
}


def _with_month(queryset: QuerySet[CasePerson]) -> QuerySet[CasePerson]:
    return queryset.annotate(_year=ExtractYear("case__opened_at"), _month=ExtractMonth("case__opened_at"))


def _raw_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row[_RAW["sex"]],
        row[_RAW["age"]],
        row[_RAW["citizenship"]],
        row[_RAW["place"]],
        (row["_year"] or 0, row["_month"] or 0),
    )


def _class_sizes(queryset: QuerySet[CasePerson]) -> Counter[tuple[Any, ...]]:
    """Registrations per combination of the quasi-identifiers as stored (one grouped query)."""
    columns = [*_RAW.values(), "_year", "_month"]
    grouped = _with_month(queryset).order_by().values(*columns).annotate(_n=Count("pk"))
    sizes: Counter[tuple[Any, ...]] = Counter()
    for row in grouped.iterator(chunk_size=5000):
        sizes[_raw_key(row)] += row["_n"]
    return sizes


@dataclass(frozen=True)
class Generalisation:
    levels: dict[str, int]
    suppressed: int
    classes: dict[tuple[str, ...], int] = field(repr=False)

    def height(self) -> int:
        return sum(self.levels.values())


def _publish_key(ladders: dict[str, Ladder], levels: dict[str, int], raw: tuple[Any, ...]) -> tuple[str, ...]:
    key: tuple[str, ...] = ()
    for name, value in zip(QUASI_IDENTIFIERS, raw, strict=True):
        key += ladders[name].publish(levels[name], value)
    return key


def _classes(
    sizes: Counter[tuple[Any, ...]], ladders: dict[str, Ladder], levels: dict[str, int]
) -> Counter[tuple[str, ...]]:
    """Registrations per published combination. Each quasi-identifier has few distinct stored
    values, so their published forms are computed once and the roll-up is plain dictionary work."""
    published = [
        {raw[position]: ladders[name].publish(levels[name], raw[position]) for raw in sizes}
        for position, name in enumerate(QUASI_IDENTIFIERS)
    ]
    sex, age, citizenship, place, when = published
    classes: Counter[tuple[str, ...]] = Counter()
    for (r_sex, r_age, r_citizenship, r_place, r_when), count in sizes.items():
        classes[sex[r_sex] + age[r_age] + citizenship[r_citizenship] + place[r_place] + when[r_when]] += count
    return classes


def choose_generalisation(
    sizes: Counter[tuple[Any, ...]], ladders: dict[str, Ladder], *, k: int, max_share: float = MAX_SUPPRESSED_SHARE
) -> Generalisation:
    """The least generalised combination of ladder levels within the suppression budget (fewest
    steps up the ladders, then fewest rows suppressed); when none is, the one suppressing fewest."""
    budget = max_share * sum(sizes.values())
    combinations = sorted(itertools.product(*(range(len(ladders[name].levels)) for name in QUASI_IDENTIFIERS)), key=sum)
    evaluated: list[Generalisation] = []
    for _height, group in itertools.groupby(combinations, key=sum):
        at_height = []
        for combination in group:
            levels = dict(zip(QUASI_IDENTIFIERS, combination, strict=True))
            classes = _classes(sizes, ladders, levels)
            suppressed = sum(count for count in classes.values() if count < k)
            at_height.append(Generalisation(levels, suppressed, dict(classes)))
        within = [candidate for candidate in at_height if candidate.suppressed <= budget]
        if within:
            return min(within, key=lambda candidate: candidate.suppressed)
        evaluated += at_height
    return min(evaluated, key=lambda candidate: (candidate.suppressed, candidate.height()))


# --- the rows ----------------------------------------------------------------------------------------


def _decision_maker(institution_type: str | None) -> str:
    if not institution_type:
        return ""
    return DECISION_MAKER.get(institution_type, GOVERNMENT_DECISION_MAKER)  # type: ignore[call-overload]


def _exploitation(exploitation: str, age: int | None, age_group: str) -> str:
    values = [EXPLOITATION.get(exploitation, "Other")]  # type: ignore[call-overload]
    is_child = age < 18 if age is not None else age_group == AgeGroup.CHILD
    if exploitation == ExploitationType.LABOUR and is_child:
        values.append("ChildLabour")
    return MULTI_SEPARATOR.join(value for value in values if value)


def _case_status(stage: str) -> str:
    if stage == Stage.CLOSED:
        return "Closed"
    if stage == Stage.FOLLOW_UP:
        return "FollowUp"
    return "Active"


def _rows(queryset: QuerySet[CasePerson]) -> Iterator[dict[str, Any]]:
    decision = IdentificationDecision.objects.filter(case_id=OuterRef("case_id"), person_id=OuterRef("person_id"))
    decision = decision.order_by("-decided_on", "-id")
    annotated = _with_month(queryset).annotate(
        _outcome=Subquery(decision.values("outcome")[:1]),
        _decided_by=Subquery(decision.values("institution__type")[:1]),
    )
    columns = [*_RAW.values(), "_year", "_month", "_outcome", "_decided_by", "person__age_group"]
    columns += ["case__exploitation", "case__stage"]
    yield from annotated.order_by("case_id", "person_id").values(*columns).iterator(chunk_size=5000)


@dataclass
class HtcdsReport:
    rows: int = 0
    suppressed: int = 0
    generalised: dict[str, str] = field(default_factory=dict)
    k: int = DEFAULT_K

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "suppressed": self.suppressed, "generalised": self.generalised}


class _Sink(Protocol):
    def write(self, values: Sequence[str]) -> None: ...


class _CsvSink:
    def __init__(self, stream: IO[str]) -> None:
        self.writer = csv.writer(stream)

    def write(self, values: Sequence[str]) -> None:
        self.writer.writerow(values)


class _XlsxSink:
    """openpyxl's write-only workbook streams rows to disk instead of holding them."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet("HTCDS")

    def write(self, values: Sequence[str]) -> None:
        self.sheet.append(list(values))


@contextmanager
def _sink(fmt: str, path: Path) -> Iterator[_Sink]:
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as stream:
            yield _CsvSink(stream)
        return
    sink = _XlsxSink()
    try:
        yield sink
    except BaseException:
        sink.workbook.close()  # an interrupted export leaves no open temporary file behind
        raise
    sink.workbook.save(path)


FORMATS = tuple(HtcdsFormat.values)
PROGRESS_EVERY = 10_000


def export_htcds(
    out: Path,
    *,
    fmt: str = "csv",
    k: int = DEFAULT_K,
    include_synthetic: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> HtcdsReport:
    """Write the export to ``out`` (complete or not at all) and say what was generalised."""
    if fmt not in FORMATS:
        raise HtcdsError(f"unknown format {fmt!r}: choose csv or xlsx")
    if k < 2:
        raise HtcdsError("k must be at least 2")
    home_country = settings.RUTA_COUNTRY_CODE.upper()
    places = {
        pk: Place(department, municipality)
        for pk, department, municipality in Municipality.objects.values_list("pk", "department__name", "name")
    }
    ladders = _ladders(home_country, places)
    queryset = registrations(include_synthetic=include_synthetic)
    chosen = choose_generalisation(_class_sizes(queryset), ladders, k=k)
    report = HtcdsReport(k=k, suppressed=chosen.suppressed)
    for name in QUASI_IDENTIFIERS:
        rule = ladders[name].rules[chosen.levels[name]]
        if rule:
            for column in ladders[name].columns:
                report.generalised[column] = rule
    total = sum(chosen.classes.values())

    partial = out.with_name(out.name + ".partial")
    partial.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _sink(fmt, partial) as sink:
            sink.write(COLUMNS)
            for row in _rows(queryset):
                published = _publish_key(ladders, chosen.levels, _raw_key(row))
                if chosen.classes[published] < k:
                    continue
                sink.write(_row_values(row, published, home_country))
                report.rows += 1
                if progress and report.rows % PROGRESS_EVERY == 0:
                    progress(report.rows, total)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return report


def _row_values(row: dict[str, Any], published: tuple[str, ...], home_country: str) -> list[str]:
    gender, age, citizenship, state, city, when = published
    age_years = row[_RAW["age"]]
    return [
        gender,
        citizenship,
        age,
        TRAFFICKING_STATUS.get(row["_outcome"], PRESUMED),  # type: ignore[call-overload]
        _decision_maker(row["_decided_by"]),
        _exploitation(row["case__exploitation"], age_years, row["person__age_group"]),
        "Exploitation",
        home_country,
        state,
        city,
        when,
        _case_status(row["case__stage"]),
        "true",
    ]
