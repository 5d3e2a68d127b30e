"""A competency framework as a spreadsheet, so a ministry can review it outside Ruta and send it back.

**XLSX layout** — five sheets, the first row of each holds the column names (any order; extra
columns are ignored). ``<lang>`` stands for each language of Ruta (``es``, ``en``, ``fr``):

- ``framework`` (one row): ``code``, ``version``, ``status`` (draft | validated | retired),
  ``is_example`` (yes/no), ``source``, ``target_roles`` (role codes or profession labels separated by
  ``;``), ``label_<lang>``, ``description_<lang>``;
- ``domains``: ``code``, ``order``, ``label_<lang>``;
- ``competencies``: ``code``, ``domain`` (a domain code), ``order``, ``label_<lang>``, ``description_<lang>``;
- ``levels``: ``level`` (1..N, no gaps), ``competency`` (empty: the scale's own level and its
  descriptor; a competency code: that competency's descriptor for the level), ``label_<lang>``,
  ``descriptor_<lang>``;
- ``targets``: ``role``, ``competency``, ``level``.

**CSV layout** — the same tables in one file: a first column ``sheet`` names the table each row
belongs to, the other columns are the union of the tables' columns.

Importing a file creates the framework, or updates the one with the same code in place (rows missing
from the file are removed, unless assessments use them). Every problem is reported at once with its
sheet, row and column, and nothing is saved unless there are none (``FrameworkImportError``).
``import_framework`` is the one entry point of the upload page and ``manage.py import_framework``."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.competencies.models import (
    Competency,
    CompetencyDomain,
    CompetencyLevelDescriptor,
    Framework,
    FrameworkStatus,
    ProficiencyLevel,
    Rating,
    TargetLevel,
)
from ruta.security.exports import FORMULA_PREFIXES, safe_cell

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SHEETS: dict[str, list[str]] = {
    "framework": [
        "code",
        "version",
        "status",
        "is_example",
        "source",
        "target_roles",
        *[f"label_{lang}" for lang in LANGUAGES],
        *[f"description_{lang}" for lang in LANGUAGES],
    ],
    "domains": ["code", "order", *[f"label_{lang}" for lang in LANGUAGES]],
    "competencies": [
        "code",
        "domain",
        "order",
        *[f"label_{lang}" for lang in LANGUAGES],
        *[f"description_{lang}" for lang in LANGUAGES],
    ],
    "levels": [
        "level",
        "competency",
        *[f"label_{lang}" for lang in LANGUAGES],
        *[f"descriptor_{lang}" for lang in LANGUAGES],
    ],
    "targets": ["role", "competency", "level"],
}
REQUIRED_COLUMNS: dict[str, list[str]] = {
    "framework": ["code"],
    "domains": ["code"],
    "competencies": ["code", "domain"],
    "levels": ["level"],
    "targets": ["role", "competency", "level"],
}
SHEET_COLUMN = "sheet"
YES = {"yes", "y", "true", "1", "si", "sí", "oui", "x"}
NO = {"no", "n", "false", "0", "non", ""}
MAX_ROWS = 5000
MAX_CODE = 40
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class SheetError:
    sheet: str
    row: int | None  # the spreadsheet's own row number (1 = the header)
    column: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                _("sheet %(sheet)s") % {"sheet": self.sheet} if self.sheet else "",
                _("row %(row)s") % {"row": self.row} if self.row else "",
                _("column %(column)s") % {"column": self.column} if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class FrameworkImportError(Exception):
    def __init__(self, errors: list[SheetError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


@dataclass
class Row:
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Parsed:
    """What a file says, checked, ready to write."""

    framework: dict[str, Any] = field(default_factory=dict)
    domains: dict[str, dict[str, Any]] = field(default_factory=dict)
    competencies: dict[str, dict[str, Any]] = field(default_factory=dict)
    levels: dict[int, dict[str, Any]] = field(default_factory=dict)
    descriptors: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)
    targets: dict[tuple[str, str], int] = field(default_factory=dict)


# ---- Export ------------------------------------------------------------------------------------


def _labels(prefix: str, labels: dict[str, Any]) -> dict[str, str]:
    return {f"{prefix}_{lang}": str(labels.get(lang, "") or "") for lang in LANGUAGES}


def framework_tables(framework: Framework) -> dict[str, list[dict[str, Any]]]:
    """The framework as rows per sheet (column name → value)."""
    tables: dict[str, list[dict[str, Any]]] = {
        "framework": [
            {
                "code": framework.code,
                "version": framework.version,
                "status": framework.status,
                "is_example": "yes" if framework.is_example else "no",
                "source": framework.source,
                "target_roles": "; ".join(framework.target_roles),
                **_labels("label", framework.labels),
                **_labels("description", framework.description_labels),
            }
        ],
        "domains": [
            {"code": domain.code, "order": domain.order, **_labels("label", domain.labels)}
            for domain in framework.domains.order_by("order", "code")
        ],
        "competencies": [
            {
                "code": competency.code,
                "domain": competency.domain.code,
                "order": competency.order,
                **_labels("label", competency.labels),
                **_labels("description", competency.description_labels),
            }
            for competency in framework.competencies.select_related("domain").order_by("order", "code")
        ],
        "levels": [
            {
                "level": level.level,
                "competency": "",
                **_labels("label", level.labels),
                **_labels("descriptor", level.descriptor_labels),
            }
            for level in framework.levels.order_by("level")
        ]
        + [
            {
                "level": descriptor.level,
                "competency": descriptor.competency.code,
                **_labels("label", {}),
                **_labels("descriptor", descriptor.descriptor_labels),
            }
            for descriptor in CompetencyLevelDescriptor.objects.filter(competency__framework=framework)
            .select_related("competency")
            .order_by("competency__order", "competency__code", "level")
        ],
        "targets": [
            {"role": target.role, "competency": target.competency.code, "level": target.level}
            for target in framework.targets.select_related("competency").order_by(
                "role", "competency__order", "competency__code"
            )
        ],
    }
    return tables


def export_xlsx(framework: Framework) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, rows in framework_tables(framework).items():
        worksheet = workbook.create_sheet(sheet)
        columns = SHEETS[sheet]
        worksheet.append(columns)
        for row in rows:
            worksheet.append([row.get(column, "") for column in columns])
            for cell in worksheet[worksheet.max_row]:
                if cell.data_type == "f":  # a label starting with "=" is text, never a formula
                    cell.data_type = "s"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def export_csv(framework: Framework) -> bytes:
    columns = [SHEET_COLUMN, *dict.fromkeys(column for names in SHEETS.values() for column in names)]
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for sheet, rows in framework_tables(framework).items():
        for row in rows:
            writer.writerow({SHEET_COLUMN: sheet, **{key: safe_cell(value) for key, value in row.items()}})
    # A byte-order mark so spreadsheet programs open the accents right.
    return output.getvalue().encode("utf-8-sig")


# ---- Reading -----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # Undo the quote ``safe_cell`` puts before text that a spreadsheet would take for a formula.
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _read_xlsx(content: bytes, errors: list[SheetError]) -> dict[str, list[Row]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        errors.append(SheetError("", None, "", _("The file is not a readable XLSX spreadsheet.")))
        return {}
    tables: dict[str, list[Row]] = {}
    for sheet in SHEETS:
        if sheet not in workbook.sheetnames:
            errors.append(SheetError(sheet, None, "", _("The sheet is missing.")))
            continue
        rows = workbook[sheet].iter_rows(values_only=True)
        header = [_cell(value).lower() for value in next(rows, ())]
        tables[sheet] = []
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS:
                errors.append(SheetError(sheet, number, "", _("Too many rows.")))
                break
            cells = {header[i]: _cell(value) for i, value in enumerate(values) if i < len(header) and header[i]}
            if any(cells.values()):
                tables[sheet].append(Row(number, cells))
        tables[sheet].insert(0, Row(1, dict.fromkeys(header, "")))
    workbook.close()
    return tables


def _read_csv(content: bytes, errors: list[SheetError]) -> dict[str, list[Row]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.append(SheetError("", None, "", _("The CSV file is not UTF-8 text.")))
        return {}
    reader = csv.reader(io.StringIO(text))
    header = [value.strip().lower() for value in next(reader, [])]
    if SHEET_COLUMN not in header:
        errors.append(SheetError("", 1, SHEET_COLUMN, _("The column is missing.")))
        return {}
    tables: dict[str, list[Row]] = {sheet: [Row(1, dict.fromkeys(header, ""))] for sheet in SHEETS}
    for number, values in enumerate(reader, start=2):
        if number > MAX_ROWS:
            errors.append(SheetError("", number, "", _("Too many rows.")))
            break
        cells = {header[i]: _cell(value) for i, value in enumerate(values) if i < len(header) and header[i]}
        if not any(cells.values()):
            continue
        sheet = cells.get(SHEET_COLUMN, "")
        if sheet not in SHEETS:
            errors.append(SheetError("", number, SHEET_COLUMN, _("Unknown sheet %(sheet)s.") % {"sheet": sheet or "—"}))
            continue
        tables[sheet].append(Row(number, cells))
    return tables


# ---- Checking ----------------------------------------------------------------------------------


class _Checker:
    def __init__(self, tables: dict[str, list[Row]], errors: list[SheetError]) -> None:
        self.tables = tables
        self.errors = errors
        self.parsed = Parsed()

    def error(self, sheet: str, row: Row | None, column: str, message: str) -> None:
        self.errors.append(SheetError(sheet, row.number if row else None, column, message))

    def rows(self, sheet: str) -> list[Row]:
        rows = self.tables.get(sheet, [])
        if not rows:
            return []
        header, body = rows[0], rows[1:]
        missing = [column for column in REQUIRED_COLUMNS[sheet] if column not in header.values]
        for column in missing:
            self.error(sheet, header, column, _("The column is missing."))
        return [] if missing else body

    def code(self, sheet: str, row: Row, column: str) -> str:
        value = row.get(column)
        if not value:
            self.error(sheet, row, column, _("A code is required."))
        elif len(value) > MAX_CODE or any(char.isspace() for char in value):
            self.error(sheet, row, column, _("A code has at most 40 characters and no spaces."))
        return value

    def integer(self, sheet: str, row: Row, column: str, *, required: bool, minimum: int = 0) -> int | None:
        value = row.get(column)
        if not value:
            if required:
                self.error(sheet, row, column, _("A whole number is required."))
            return None
        try:
            number = int(value)
        except ValueError:
            self.error(sheet, row, column, _("%(value)s is not a whole number.") % {"value": value})
            return None
        if number < minimum:
            self.error(sheet, row, column, _("The number must be at least %(minimum)s.") % {"minimum": minimum})
            return None
        return number

    def labels(self, sheet: str, row: Row, prefix: str, *, required: bool) -> dict[str, str]:
        labels = {lang: row.get(f"{prefix}_{lang}") for lang in LANGUAGES if row.get(f"{prefix}_{lang}")}
        if required and not labels:
            self.error(sheet, row, f"{prefix}_{LANGUAGES[0]}", _("Give a label in at least one language."))
        return labels

    def check(self) -> Parsed:
        self.framework()
        self.domains()
        self.competencies()
        self.levels()
        self.targets()
        return self.parsed

    def framework(self) -> None:
        rows = self.rows("framework")
        if len(rows) != 1:
            if "framework" in self.tables:
                self.error("framework", None, "", _("The sheet must have exactly one framework row."))
            return
        row = rows[0]
        status = row.get("status") or FrameworkStatus.DRAFT
        if status not in FrameworkStatus.values:
            self.error("framework", row, "status", _("The status must be draft, validated or retired."))
        example = row.get("is_example").lower()
        if example not in YES | NO:
            self.error("framework", row, "is_example", _("Answer yes or no."))
        self.parsed.framework = {
            "code": self.code("framework", row, "code"),
            "version": row.get("version")[:40],
            "status": status,
            "is_example": example in YES,
            "source": row.get("source")[:400],
            "target_roles": [role.strip() for role in row.get("target_roles").split(";") if role.strip()],
            "labels": self.labels("framework", row, "label", required=True),
            "description_labels": self.labels("framework", row, "description", required=False),
        }

    def domains(self) -> None:
        for row in self.rows("domains"):
            code = self.code("domains", row, "code")
            if code in self.parsed.domains:
                self.error("domains", row, "code", _("The code %(code)s is repeated.") % {"code": code})
                continue
            order = self.integer("domains", row, "order", required=False)
            self.parsed.domains[code] = {
                "order": order if order is not None else len(self.parsed.domains) + 1,
                "labels": self.labels("domains", row, "label", required=True),
            }

    def competencies(self) -> None:
        for row in self.rows("competencies"):
            code = self.code("competencies", row, "code")
            if code in self.parsed.competencies:
                self.error("competencies", row, "code", _("The code %(code)s is repeated.") % {"code": code})
                continue
            domain = row.get("domain")
            if domain not in self.parsed.domains:
                self.error(
                    "competencies",
                    row,
                    "domain",
                    _("%(code)s is not a domain of the sheet domains.") % {"code": domain},
                )
            order = self.integer("competencies", row, "order", required=False)
            self.parsed.competencies[code] = {
                "domain": domain,
                "order": order if order is not None else len(self.parsed.competencies) + 1,
                "labels": self.labels("competencies", row, "label", required=True),
                "description_labels": self.labels("competencies", row, "description", required=False),
            }
        if not self.parsed.competencies and "competencies" in self.tables:
            self.error("competencies", None, "", _("The framework has no competencies."))

    def levels(self) -> None:
        for row in self.rows("levels"):
            level = self.integer("levels", row, "level", required=True, minimum=1)
            competency = row.get("competency")
            if level is None:
                continue
            if competency:
                if competency not in self.parsed.competencies:
                    self.error(
                        "levels",
                        row,
                        "competency",
                        _("%(code)s is not a competency of the sheet.") % {"code": competency},
                    )
                elif (competency, level) in self.parsed.descriptors:
                    self.error("levels", row, "level", _("The level %(level)s is repeated.") % {"level": level})
                else:
                    labels = self.labels("levels", row, "descriptor", required=True)
                    self.parsed.descriptors[(competency, level)] = labels
                continue
            if level in self.parsed.levels:
                self.error("levels", row, "level", _("The level %(level)s is repeated.") % {"level": level})
                continue
            self.parsed.levels[level] = {
                "labels": self.labels("levels", row, "label", required=True),
                "descriptor_labels": self.labels("levels", row, "descriptor", required=False),
            }
        if "levels" in self.tables:
            if not self.parsed.levels:
                self.error("levels", None, "", _("The scale has no levels."))
            elif sorted(self.parsed.levels) != list(range(1, len(self.parsed.levels) + 1)):
                self.error("levels", None, "level", _("The levels must be numbered 1, 2, 3… without gaps."))
        for competency, level in self.parsed.descriptors:
            if self.parsed.levels and level not in self.parsed.levels:
                self.error(
                    "levels",
                    None,
                    "level",
                    _("%(code)s describes level %(level)s, which the scale lacks.")
                    % {"code": competency, "level": level},
                )

    def targets(self) -> None:
        top = max(self.parsed.levels, default=0)
        for row in self.rows("targets"):
            role = row.get("role")
            if not role or len(role) > 80:
                self.error("targets", row, "role", _("Give a role code or profession of at most 80 characters."))
            competency = row.get("competency")
            if competency not in self.parsed.competencies:
                self.error(
                    "targets",
                    row,
                    "competency",
                    _("%(code)s is not a competency of the sheet.") % {"code": competency or "—"},
                )
            level = self.integer("targets", row, "level", required=True, minimum=1)
            if level is not None and top and level > top:
                self.error("targets", row, "level", _("The scale goes up to %(top)s.") % {"top": top})
            if (role, competency) in self.parsed.targets:
                self.error("targets", row, "competency", _("This role already has a target for this competency."))
            elif level is not None:
                self.parsed.targets[(role, competency)] = level


# ---- Writing -----------------------------------------------------------------------------------


def _check_removals(framework: Framework, parsed: Parsed, errors: list[SheetError]) -> None:
    """A competency (or level) an assessment used cannot be removed: ratings would lose their meaning."""
    rated = set(Rating.objects.filter(competency__framework=framework).values_list("competency__code", flat=True))
    for code in sorted(rated - set(parsed.competencies)):
        errors.append(
            SheetError(
                "competencies", None, "code", _("%(code)s has assessments and cannot be removed.") % {"code": code}
            )
        )
    highest = max(Rating.objects.filter(competency__framework=framework).values_list("level", flat=True), default=0)
    if highest > len(parsed.levels):
        errors.append(
            SheetError("levels", None, "level", _("Assessments use level %(level)s: keep it.") % {"level": highest})
        )


def _sync(model: Any, existing: Iterable[Any], keep: set[Any], key: Any) -> None:
    stale = [row.pk for row in existing if key(row) not in keep]
    if stale:
        model.objects.filter(pk__in=stale).delete()


def _write(parsed: Parsed) -> Framework:
    values = dict(parsed.framework)
    code = values.pop("code")
    framework, _created = Framework.objects.update_or_create(code=code, defaults=values)
    domains = {}
    for domain_code, domain_values in parsed.domains.items():
        domains[domain_code], _created = CompetencyDomain.objects.update_or_create(
            framework=framework, code=domain_code, defaults=domain_values
        )
    competencies = {}
    for competency_code, competency_values in parsed.competencies.items():
        competencies[competency_code], _created = Competency.objects.update_or_create(
            framework=framework,
            code=competency_code,
            defaults={**competency_values, "domain": domains[competency_values["domain"]]},
        )
    _sync(Competency, framework.competencies.all(), set(parsed.competencies), lambda row: row.code)
    _sync(CompetencyDomain, framework.domains.all(), set(parsed.domains), lambda row: row.code)
    for level, level_values in parsed.levels.items():
        ProficiencyLevel.objects.update_or_create(framework=framework, level=level, defaults=level_values)
    _sync(ProficiencyLevel, framework.levels.all(), set(parsed.levels), lambda row: row.level)
    for (competency_code, level), labels in parsed.descriptors.items():
        CompetencyLevelDescriptor.objects.update_or_create(
            competency=competencies[competency_code], level=level, defaults={"descriptor_labels": labels}
        )
    _sync(
        CompetencyLevelDescriptor,
        CompetencyLevelDescriptor.objects.filter(competency__framework=framework).select_related("competency"),
        set(parsed.descriptors),
        lambda row: (row.competency.code, row.level),
    )
    for (role, competency_code), level in parsed.targets.items():
        TargetLevel.objects.update_or_create(
            competency=competencies[competency_code], role=role, defaults={"framework": framework, "level": level}
        )
    _sync(
        TargetLevel,
        framework.targets.select_related("competency"),
        set(parsed.targets),
        lambda row: (row.role, row.competency.code),
    )
    return framework


def parse(content: bytes, *, filename: str) -> tuple[Parsed, list[SheetError]]:
    errors: list[SheetError] = []
    if filename.lower().endswith(".csv"):
        tables = _read_csv(content, errors)
    elif filename.lower().endswith(".xlsx"):
        tables = _read_xlsx(content, errors)
    else:
        return Parsed(), [SheetError("", None, "", _("Send an XLSX or CSV file."))]
    parsed = _Checker(tables, errors).check() if tables else Parsed()
    return parsed, errors


def import_framework(content: bytes, *, filename: str, actor: User | None) -> Framework:
    """Create or update the framework described by the file; all or nothing (see the module docstring)."""
    parsed, errors = parse(content, filename=filename)
    if errors:
        raise FrameworkImportError(errors)
    with transaction.atomic():
        existing = Framework.objects.select_for_update().filter(code=parsed.framework["code"]).first()
        if existing is not None:
            _check_removals(existing, parsed, errors)
            if errors:
                raise FrameworkImportError(errors)
        framework = _write(parsed)
        audit_record(
            actor=actor,
            action=AuditAction.CONFIG,
            obj=framework,
            summary=f"framework {framework.code} imported from {filename[:100]}",
            changes={
                "competencies": len(parsed.competencies),
                "levels": len(parsed.levels),
                "targets": len(parsed.targets),
                "created": existing is None,
            },
        )
    return framework
