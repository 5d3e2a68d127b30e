"""The ``data`` of each record kind the offline form syncs (visit, interview, infraction): checking a
client's version field by field, and the server's version in the same shape (for conflicts, for
"unchanged", and for the read endpoints)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ruta.inspections.models import (
    AgeGroup,
    Exploitation,
    Infraction,
    InspectionType,
    LegalBasis,
    Sex,
    Visit,
    VisitStatus,
    WorkerInterview,
)
from ruta.screening.models import Indicator, ListKind

TEXT_LIMIT = 10_000
SHORT_TEXT = 200
MAX_AGE = 120
ADULT_AGE = 18
_COUNTRY = re.compile(r"^[A-Z]{2}$")
Errors = dict[str, list[tuple[str, str]]]


class RecordInvalid(Exception):
    def __init__(self, errors: Errors) -> None:
        super().__init__(errors)
        self.errors = errors


class _Checker:
    """Collects field errors while reading one record's ``data``."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: Errors = {}

    def add(self, field: str, code: str, message: str) -> None:
        self.errors.setdefault(field, []).append((code, message))

    def boolean(self, field: str, default: bool = False) -> bool:
        value = self.data.get(field, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(field, "invalid", _("Answer yes (true) or no (false)."))
            return default
        return value

    def text(self, field: str, limit: int = TEXT_LIMIT) -> str:
        value = self.data.get(field) or ""
        if not isinstance(value, str):
            self.add(field, "invalid", _("Give this as text."))
            return ""
        if len(value) > limit:
            self.add(field, "max_length", _("At most %(limit)d characters.") % {"limit": limit})
        return value.strip()

    def choice(self, field: str, choices: list[str], default: str | None = None) -> str:
        value = self.data.get(field, default)
        if value not in choices:
            self.add(field, "invalid_choice", _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)})
            return default or choices[0]
        return str(value)

    def moment(self, field: str) -> datetime | None:
        value = self.data.get(field)
        if value in (None, ""):
            return None
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None:
            self.add(field, "invalid", _("Give a date and time such as 2026-03-01T09:30:00-06:00."))
            return None
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)

    def day(self, field: str) -> date | None:
        value = self.data.get(field)
        if value in (None, ""):
            return None
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            self.add(field, "invalid", _("Give a date such as 2026-03-01."))
        return parsed

    def codes(self, field: str) -> list[str]:
        value = self.data.get(field) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.add(field, "invalid", _("Give a list of codes."))
            return []
        return list(dict.fromkeys(item.strip() for item in value))

    def done(self) -> None:
        if self.errors:
            raise RecordInvalid(self.errors)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


# --- visits ------------------------------------------------------------------------------------------


def clean_visit(data: Mapping[str, Any], *, step_codes: list[str] | None) -> dict[str, Any]:
    """A visit's data, normalised; ``step_codes`` are the steps of the protocol the visit follows
    (None when the type is not known yet: the caller checks them once it is)."""
    check = _Checker(data)
    establishment = data.get("establishment")
    if isinstance(establishment, bool) or not isinstance(establishment, int):
        check.add("establishment", "invalid", _("Give the establishment's id."))
        establishment = None
    inspection_type = check.choice("inspection_type", list(InspectionType.values))
    steps: dict[str, dict[str, Any]] = {}
    raw_steps = data.get("steps") or {}
    if not isinstance(raw_steps, dict):
        check.add("steps", "invalid", _("Steps must be an object keyed by step code."))
        raw_steps = {}
    unknown = sorted(code for code in raw_steps if step_codes is not None and code not in step_codes)
    if unknown:
        check.add("steps", "unknown_step", _("Unknown step code: %(codes)s.") % {"codes": ", ".join(unknown)})
    for code, value in raw_steps.items():
        if not isinstance(value, dict) or not isinstance(value.get("done", False), bool):
            check.add(f"steps.{code}", "invalid", _('Each step is {"done": true|false, "note": "..."}.'))
            continue
        note = value.get("note") or ""
        if not isinstance(note, str) or len(note) > TEXT_LIMIT:
            check.add(f"steps.{code}.note", "invalid", _("Give the note as text."))
            note = ""
        steps[str(code)] = {"done": bool(value.get("done")), "note": note.strip()}
    cleaned = {
        "establishment": establishment,
        "inspection_type": inspection_type,
        "started_at": check.moment("started_at"),
        "steps": steps,
        "observations": check.text("observations"),
        "immediate_danger": check.boolean("immediate_danger"),
        "danger_note": check.text("danger_note"),
        "status": check.choice("status", [VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED], VisitStatus.IN_PROGRESS),
        "closed_at": check.moment("closed_at"),
    }
    if cleaned["status"] == VisitStatus.COMPLETED and cleaned["closed_at"] is None:
        check.add("closed_at", "required", _("A completed visit needs the time it closed."))
    check.done()
    return cleaned


def visit_data(visit: Visit) -> dict[str, Any]:
    return {
        "establishment": visit.establishment_id,
        "inspection_type": visit.inspection_type,
        "started_at": _iso(visit.started_at),
        "steps": visit.steps,
        "observations": visit.observations,
        "immediate_danger": visit.immediate_danger,
        "danger_note": visit.danger_note,
        "status": visit.status,
        "closed_at": _iso(visit.closed_at),
    }


def as_data(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned values in the JSON shape of ``*_data`` (to compare with the server's version)."""
    return {key: _iso(value) if isinstance(value, datetime) else value for key, value in cleaned.items()}


# --- interviews --------------------------------------------------------------------------------------


def forced_labour_codes() -> set[str]:
    return set(
        Indicator.objects.filter(indicator_list__kind=ListKind.FORCED_LABOUR, is_active=True).values_list(
            "code", flat=True
        )
    )


def clean_interview(
    data: Mapping[str, Any], *, known_fl: Callable[[], set[str]] = forced_labour_codes
) -> dict[str, Any]:
    check = _Checker(data)
    visit = data.get("visit")
    if not isinstance(visit, str) or not visit:
        check.add("visit", "required", _("Give the visit's id."))
    age = data.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE):
        check.add("age", "invalid", _("Age must be a whole number of years between 0 and 120, or empty."))
        age = None
    age_group = check.choice("age_group", list(AgeGroup.values), AgeGroup.UNKNOWN)
    if age is not None:
        implied = AgeGroup.CHILD if age < ADULT_AGE else AgeGroup.ADULT
        if age_group not in (AgeGroup.UNKNOWN, implied):
            check.add("age_group", "inconsistent", _("The age group does not match the age."))
        age_group = implied
    nationality = check.text("nationality", 2).upper()
    if nationality and not _COUNTRY.match(nationality):
        check.add("nationality", "invalid", _('Give a two-letter country code such as "HN".'))
    consent = check.boolean("consent_to_identify")
    given_names = check.text("given_names", SHORT_TEXT)
    family_names = check.text("family_names", SHORT_TEXT)
    if (given_names or family_names) and not consent:
        check.add("given_names", "consent_required", _("A worker's name is kept only with their consent."))
    fl_codes = check.codes("forced_labour_indicators")
    if fl_codes:
        unknown = sorted(set(fl_codes) - known_fl())
        if unknown:
            check.add(
                "forced_labour_indicators",
                "unknown_indicator",
                _("Unknown indicator code(s): %(codes)s.") % {"codes": ", ".join(unknown)},
            )
    cleaned = {
        "visit": visit,
        "held_in_private": check.boolean("held_in_private", True),
        "age": age,
        "age_group": age_group,
        "sex": check.choice("sex", list(Sex.values), Sex.UNKNOWN),
        "nationality": nationality,
        "job": check.text("job", SHORT_TEXT),
        "consent_to_identify": consent,
        "given_names": given_names,
        "family_names": family_names,
        "forced_labour_indicators": fl_codes,
        "ilo_ec_indicators": check.codes("ilo_ec_indicators"),
        "exploitation": check.choice("exploitation", list(Exploitation.values), Exploitation.LABOUR),
        "hazardous_work": check.boolean("hazardous_work"),
        "immediate_danger": check.boolean("immediate_danger"),
        "notes": check.text("notes"),
    }
    check.done()
    return cleaned


def interview_data(interview: WorkerInterview, *, identities: bool) -> dict[str, Any]:
    return {
        "visit": str(interview.visit.uuid),
        "held_in_private": interview.held_in_private,
        "age": interview.age,
        "age_group": interview.age_group,
        "sex": interview.sex,
        "nationality": interview.nationality,
        "job": interview.job,
        "consent_to_identify": interview.consent_to_identify,
        "given_names": interview.given_names if identities else "",
        "family_names": interview.family_names if identities else "",
        "forced_labour_indicators": interview.forced_labour_indicators,
        "ilo_ec_indicators": interview.ilo_ec_indicators,
        "exploitation": interview.exploitation,
        "hazardous_work": interview.hazardous_work,
        "immediate_danger": interview.immediate_danger,
        "notes": interview.notes,
    }


# --- infractions -------------------------------------------------------------------------------------


def clean_infraction(data: Mapping[str, Any]) -> dict[str, Any]:
    check = _Checker(data)
    visit = data.get("visit")
    if not isinstance(visit, str) or not visit:
        check.add("visit", "required", _("Give the visit's id."))
    code = data.get("legal_basis")
    basis = None
    if not isinstance(code, str) or not code:
        check.add("legal_basis", "required", _("Choose the legal basis."))
    else:
        basis = LegalBasis.objects.filter(code=code, is_active=True).first()
        if basis is None:
            check.add("legal_basis", "unknown_legal_basis", _("Unknown legal basis: %(code)s.") % {"code": code})
    cleaned = {
        "visit": visit,
        "legal_basis": basis,
        "description": check.text("description"),
        "remedy": check.text("remedy"),
        "remedy_due": check.day("remedy_due"),
    }
    check.done()
    return cleaned


def infraction_data(infraction: Infraction) -> dict[str, Any]:
    due = infraction.remedy_due_at
    return {
        "visit": str(infraction.visit.uuid),
        "legal_basis": infraction.legal_basis.code,
        "description": infraction.description,
        "remedy": infraction.remedy,
        "remedy_due": timezone.localtime(due).date().isoformat() if due else None,
    }


def infraction_as_data(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    due = cleaned["remedy_due"]
    return {
        "visit": cleaned["visit"],
        "legal_basis": cleaned["legal_basis"].code,
        "description": cleaned["description"],
        "remedy": cleaned["remedy"],
        "remedy_due": due.isoformat() if due else None,
    }


def end_of_day(day: date) -> datetime:
    """A remedy due on a day is missed once that day is over (local time)."""
    return timezone.make_aware(datetime.combine(day, time.max.replace(microsecond=0)))
