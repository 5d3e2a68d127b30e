"""What every submission is validated and prioritised against: the signal catalogue, priority rules
and levels, and the departments and municipalities, loaded once per configuration generation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from ruta.alerts import catalogue
from ruta.alerts.models import CommunitySignal, PriorityLevel, PriorityRule
from ruta.alerts.priority import RuleDef, SignalDef
from ruta.core.generations import Generational
from ruta.geo.apps import GEOGRAPHY
from ruta.geo.models import Department, Municipality


@transaction.atomic
def catalogue_load() -> dict[str, int]:
    """Create the default signals, priority levels and rules of DESIGN §3 that do not exist yet
    (idempotent; never overwrites an administrator's edits). The data migration does the same."""
    created = {"signals": 0, "levels": 0, "rules": 0}
    for order, (code, group, danger, labels) in enumerate(catalogue.DEFAULT_SIGNALS, start=1):
        _obj, new = CommunitySignal.objects.get_or_create(
            code=code, defaults={"group": group, "is_danger": danger, "labels": labels, "sort_order": order}
        )
        created["signals"] += new
    for code, labels, acknowledge, first in catalogue.DEFAULT_LEVELS:
        _level, new = PriorityLevel.objects.get_or_create(
            code=code,
            defaults={
                "labels": labels,
                "acknowledge_within": timedelta(hours=acknowledge),
                "first_response_within": timedelta(hours=first),
            },
        )
        created["levels"] += new
    for rule in catalogue.DEFAULT_RULES:
        fields = {key: value for key, value in rule.items() if key != "code"}
        _rule, new = PriorityRule.objects.get_or_create(code=rule["code"], defaults=fields)
        created["rules"] += new
    return created


def _load_signals() -> dict[str, SignalDef]:
    return {
        code: SignalDef(code, group, danger)
        for code, group, danger in CommunitySignal.objects.values_list("code", "group", "is_danger")
    }


def _load_rules() -> list[RuleDef]:
    return [
        RuleDef(
            code=rule.code,
            priority=rule.priority,
            order=rule.order,
            requires_happening_now=rule.requires_happening_now,
            requires_child=rule.requires_child,
            requires_danger_signal=rule.requires_danger_signal,
            any_of_signals=tuple(rule.any_of_signals or ()),
            min_signals=rule.min_signals,
            min_groups=rule.min_groups,
        )
        for rule in PriorityRule.objects.filter(is_active=True)
    ]


@dataclass(frozen=True)
class IntakeConfiguration:
    """What every submission is validated and prioritised against: one snapshot per request."""

    signals: dict[str, SignalDef]
    active_signal_codes: frozenset[str]
    rules: tuple[RuleDef, ...]
    levels: dict[str, tuple[timedelta, timedelta]]
    municipalities: dict[str, tuple[int, str, int]]  # code → (id, name, department id)
    departments: dict[str, tuple[int, str]]  # code → (id, name)

    def department(self, code: str) -> Department | None:
        found = self.departments.get(code)
        if found is None:
            return None
        pk, name = found
        return Department(pk=pk, code=code, name=name)

    def municipality(self, code: str) -> Municipality | None:
        found = self.municipalities.get(code)
        if found is None:
            return None
        pk, name, department_id = found
        return Municipality(pk=pk, code=code, name=name, department_id=department_id)

    def deadlines_for(self, priority: str, received_at: datetime) -> tuple[datetime, datetime]:
        acknowledge, first = self.levels.get(priority) or DEFAULT_DEADLINES[priority]
        return received_at + acknowledge, received_at + first


DEFAULT_DEADLINES = {
    code: (timedelta(hours=acknowledge), timedelta(hours=first))
    for code, _labels, acknowledge, first in catalogue.DEFAULT_LEVELS
}


def _load_intake_configuration() -> IntakeConfiguration:
    return IntakeConfiguration(
        signals=_load_signals(),
        active_signal_codes=frozenset(CommunitySignal.objects.filter(is_active=True).values_list("code", flat=True)),
        rules=tuple(_load_rules()),
        levels={
            code: (acknowledge, first)
            for code, acknowledge, first in PriorityLevel.objects.values_list(
                "code", "acknowledge_within", "first_response_within"
            )
        },
        municipalities={
            code: (pk, name, department_id)
            for pk, code, name, department_id in Municipality.objects.values_list("pk", "code", "name", "department_id")
        },
        departments={code: (pk, name) for pk, code, name in Department.objects.values_list("pk", "code", "name")},
    )


INTAKE_CONFIGURATION = "alerts.intake"
intake_configuration = Generational((INTAKE_CONFIGURATION, GEOGRAPHY), _load_intake_configuration)
