"""Reading catalogue files (YAML in the shape of ``shared/domain/ilo_ec_indicators.yaml``) into plain,
validated rows. No database access: the services in ``ruta.screening.services`` write what this
module returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from ruta.screening.models import LabelStatus
from ruta.screening.rules import DEFAULT_DIMENSIONS, DEFAULT_RULES, STRENGTHS, validate_rules

DATA_DIR = Path(__file__).resolve().parent / "data"
ILO_EC_FILE = DATA_DIR / "ilo_ec_indicators.yaml"
FORCED_LABOUR_FILE = DATA_DIR / "forced_labour_indicators.yaml"
TRANSLATIONS_FILE = DATA_DIR / "working_translations.yaml"

SCREENING_LISTS: dict[str, tuple[str, str]] = {
    "adult_labour": ("adult", "labour"),
    "child_labour": ("child", "labour"),
    "adult_sexual": ("adult", "sexual"),
    "child_sexual": ("child", "sexual"),
}
FORCED_LABOUR_LIST = "forced_labour"
LANGUAGES = ("es", "en", "fr")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
MAX_ROWS = 500
MAX_UPLOAD_BYTES = 1_000_000


class CatalogueFileError(ValueError):
    """A catalogue file cannot be used. ``problems`` lists every problem found, one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    dimension: str
    strength: str
    labels: dict[str, str]
    label_status: dict[str, str]
    source: str
    verified: bool
    note: str = ""
    position: int = 0
    mapped_dimensions: tuple[str, ...] = ()
    related_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListData:
    code: str
    labels: dict[str, str]
    source: str
    verification: str
    verification_note: str
    rows: tuple[IndicatorRow, ...] = ()


@dataclass(frozen=True)
class DimensionData:
    code: str
    labels: dict[str, str]
    label_status: dict[str, str]
    source: str
    position: int


@dataclass
class CatalogueFile:
    title: str = ""
    dimensions: list[DimensionData] = field(default_factory=list)
    lists: dict[str, ListData] = field(default_factory=dict)
    rules: dict[str, Any] | None = None
    rules_source: str = ""


def load_yaml(text: str | bytes) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueFileError([_("The file is not valid YAML: %(error)s") % {"error": exc}]) from exc


def working_translations(path: Path = TRANSLATIONS_FILE) -> dict[str, Any]:
    data = load_yaml(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _verification(meta: dict[str, Any]) -> str:
    explicit = str(meta.get("verification") or "").strip().lower()
    if explicit in ("verified", "corroborated", "unverified", "not_transcribed"):
        return explicit
    if meta.get("verified") is True:
        return "verified"
    if str(meta.get("status") or "").strip().lower() == "not_transcribed":
        return "not_transcribed"
    return "unverified"


def _labels(row: dict[str, Any], translations: dict[str, Any], english: str) -> tuple[dict[str, str], dict[str, str]]:
    """Labels and per-language status: the source's own wording first, Ruta's working translations
    only where the source has none."""
    labels: dict[str, str] = {}
    status: dict[str, str] = {}
    given = row.get("labels") if isinstance(row.get("labels"), dict) else {}
    for language in LANGUAGES:
        value = row.get(f"label_{language}") or (given or {}).get(language)
        if value:
            labels[language] = str(value).strip()
            declared = str(row.get(f"label_{language}_status") or "").strip().lower()
            status[language] = declared if declared in LabelStatus.values else LabelStatus.SOURCE
    for language in ("es", "fr"):
        if language not in labels:
            working = (translations.get(english) or {}).get(language)
            if working:
                labels[language] = str(working)
                status[language] = "working"
    return labels, status


def parse_ilo_ec(
    data: Any, *, translations: dict[str, Any] | None = None, only_list: str | None = None
) -> CatalogueFile:
    """Validate a catalogue in the shape of ``ilo_ec_indicators.yaml``. With ``only_list``, keep the
    rows of that list only (an administrator replacing one list) and require at least one."""
    translations = translations if translations is not None else working_translations()
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CatalogueFileError([_("The file must be a YAML mapping with 'indicators' (and 'lists').")])
    result = CatalogueFile(title=str(data.get("title") or ""))

    known_dimensions = set(DEFAULT_DIMENSIONS)
    dimension_translations = translations.get("dimensions") or {}
    raw_dimensions = data.get("dimensions") or []
    if raw_dimensions and not isinstance(raw_dimensions, list):
        problems.append(_("'dimensions' must be a list."))
        raw_dimensions = []
    for position, item in enumerate(raw_dimensions):
        if not isinstance(item, dict) or item.get("code") not in known_dimensions:
            problems.append(
                _("Dimension %(n)d: the code must be one of %(codes)s.")
                % {"n": position + 1, "codes": ", ".join(DEFAULT_DIMENSIONS)}
            )
            continue
        labels, status = _labels(item, {item["code"]: dimension_translations.get(item["code"], {})}, item["code"])
        result.dimensions.append(
            DimensionData(
                code=item["code"],
                labels=labels,
                label_status=status,
                source=str(item.get("label_source") or item.get("source") or ""),
                position=position,
            )
        )

    list_meta = data.get("lists") or {}
    if not isinstance(list_meta, dict):
        problems.append(_("'lists' must be a mapping from list code to its description."))
        list_meta = {}
    rows = data.get("indicators")
    if not isinstance(rows, list):
        problems.append(_("'indicators' must be a list of rows."))
        rows = []
    if len(rows) > MAX_ROWS * 4:
        problems.append(_("Too many rows (at most %(max)d per list).") % {"max": MAX_ROWS})
        rows = []
    label_translations = translations.get("indicators") or {}
    by_list: dict[str, list[IndicatorRow]] = {}
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(_("Row %(n)d is not a mapping.") % {"n": number})
            continue
        list_code = str(row.get("list") or only_list or "")
        if only_list and list_code != only_list:
            continue
        code = str(row.get("code") or "").strip()
        where = _("Row %(n)d (%(code)s)") % {"n": number, "code": code or "?"}
        if list_code not in SCREENING_LISTS:
            problems.append(_("%(where)s: unknown list %(list)r.") % {"where": where, "list": list_code})
            continue
        if not CODE_PATTERN.match(code):
            problems.append(_("%(where)s: the code is missing or has invalid characters.") % {"where": where})
            continue
        if code in seen:
            problems.append(_("%(where)s: the code is repeated.") % {"where": where})
            continue
        seen.add(code)
        dimension = row.get("dimension")
        if dimension not in known_dimensions:
            problems.append(_("%(where)s: unknown dimension %(value)r.") % {"where": where, "value": dimension})
        strength = row.get("strength")
        if strength not in STRENGTHS:
            problems.append(
                _("%(where)s: strength must be strong, medium or weak, not %(value)r.")
                % {"where": where, "value": strength}
            )
        english = str(row.get("label_en") or "").strip()
        if not english:
            problems.append(_("%(where)s: label_en is required.") % {"where": where})
        labels, status = _labels(row, label_translations, english)
        by_list.setdefault(list_code, []).append(
            IndicatorRow(
                code=code,
                dimension=str(dimension),
                strength=str(strength),
                labels=labels,
                label_status=status,
                source=str(row.get("source") or ""),
                verified=row.get("verified") is True,
                note=str(row.get("note") or ""),
                position=len(by_list.get(list_code, [])),
            )
        )
    if only_list and not by_list.get(only_list):
        problems.append(_("The file has no rows for the list %(list)s.") % {"list": only_list})
    for list_code, list_rows in by_list.items():
        if len(list_rows) > MAX_ROWS:
            problems.append(_("List %(list)s has more than %(max)d rows.") % {"list": list_code, "max": MAX_ROWS})
    if problems:
        raise CatalogueFileError(problems)

    list_labels = translations.get("lists") or {}
    for list_code in [only_list] if only_list else list(SCREENING_LISTS):
        found = list_meta.get(list_code)
        meta: dict[str, Any] = found if isinstance(found, dict) else {}
        note_parts = [str(meta.get(key)) for key in ("status", "note", "count_corroboration") if meta.get(key)]
        source = str(meta.get("source") or "")
        if not source and (data.get("title") or data.get("edition")):
            source = " — ".join(str(data[key]) for key in ("title", "edition") if data.get(key))
        result.lists[list_code] = ListData(
            code=list_code,
            labels={k: str(v) for k, v in (list_labels.get(list_code) or {}).items()},
            source=source,
            verification=_verification(meta)
            if meta
            else ("unverified" if by_list.get(list_code) else "not_transcribed"),
            verification_note="; ".join(note_parts) or str(data.get("status_summary") or ""),
            rows=tuple(by_list.get(list_code, [])),
        )

    rules = data.get("combination_rules")
    if isinstance(rules, dict):
        machine = {
            key: (rules.get(key) or {}).get("machine") for key in ("dimension_positive", "victim_adult", "victim_child")
        }
        if all(machine.values()):
            table = {**machine, "possible": DEFAULT_RULES["possible"]}
            validate_rules(table)
            result.rules = table
            result.rules_source = "; ".join(
                f"{key}: {(rules.get(key) or {}).get('source', '')}"
                for key in ("dimension_positive", "victim_adult", "victim_child")
            )
    return result


def parse_forced_labour(data: Any) -> ListData:
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise CatalogueFileError([_("The forced-labour file must have 'list' and 'indicators'.")])
    meta = data.get("list") or {}
    problems: list[str] = []
    rows: list[IndicatorRow] = []
    for position, row in enumerate(data["indicators"]):
        code = str(row.get("code") or "")
        dimensions = tuple(row.get("dimensions") or ())
        if not CODE_PATTERN.match(code) or any(code not in DEFAULT_DIMENSIONS for code in dimensions):
            problems.append(_("Forced-labour row %(n)d is invalid.") % {"n": position + 1})
            continue
        labels, status = _labels(row, {}, str(row.get("label_en") or ""))
        rows.append(
            IndicatorRow(
                code=code,
                dimension="",
                strength="",
                labels=labels,
                label_status=status,
                source=str(meta.get("source") or ""),
                verified=str(meta.get("verification")) == "verified",
                note=str(row.get("label_es_note") or ""),
                position=position,
                mapped_dimensions=dimensions,
                related_codes=tuple(row.get("related_ilo_ec_indicators") or ()),
            )
        )
    if problems:
        raise CatalogueFileError(problems)
    return ListData(
        code=FORCED_LABOUR_LIST,
        labels={},
        source=str(meta.get("source") or ""),
        verification=_verification(meta),
        verification_note="\n".join(str(v) for v in (meta.get("verification_note"), data.get("mapping_note")) if v),
        rows=tuple(rows),
    )
