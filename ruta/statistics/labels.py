"""What a person reads for a dimension's value: a department's name for "08", a priority's label for
"P1". Indicators carry codes (so exports and the API stay stable); pages show these labels."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.alerts.models import Channel, Priority
from ruta.cases.models import ExploitationType, IdentificationOutcome, Stage
from ruta.core.indicators import MONTH
from ruta.geo.models import Department, Municipality
from ruta.institutions.models import Institution
from ruta.persons.models import AgeGroup, Sex
from ruta.referrals.models import ReferralStatus, Urgency
from ruta.screening.models import Exploitation, Outcome

NOT_RECORDED = _("Not recorded")


def _institutions() -> Mapping[str, str]:
    return {code: short or name for code, short, name in Institution.objects.values_list("code", "short_name", "name")}


def _choices(choices: Any) -> Callable[[], Mapping[str, str]]:
    return lambda: {value: str(label) for value, label in choices}


_LABELS: dict[str, Callable[[], Mapping[str, str]]] = {
    "department": lambda: dict(Department.objects.values_list("code", "name")),
    "municipality": lambda: dict(Municipality.objects.values_list("code", "name")),
    "channel": _choices(Channel.choices),
    "priority": _choices(Priority.choices),
    "stage": _choices(Stage.choices),
    "exploitation": _choices([*ExploitationType.choices, *Exploitation.choices]),
    "sex": _choices(Sex.choices),
    "age_group": _choices(AgeGroup.choices),
    "outcome": _choices([*IdentificationOutcome.choices, *Outcome.choices]),
    "urgency": _choices(Urgency.choices),
    "status": _choices(ReferralStatus.choices),
    "sender": _institutions,
    "receiver": _institutions,
    "lead_institution": _institutions,
    "reporting_institution": _institutions,
    "assigned_institution": _institutions,
    "institution": _institutions,
}


class Labeller:
    """Labels per dimension, each table read once per page."""

    def __init__(self) -> None:
        self._cache: dict[str, Mapping[str, str]] = {}

    def __call__(self, dimension: str, value: Any) -> str:
        if value is None or value == "":
            return str(NOT_RECORDED)
        if dimension == MONTH:
            return str(value)
        if dimension not in self._cache:
            source = _LABELS.get(dimension)
            self._cache[dimension] = source() if source else {}
        return self._cache[dimension].get(str(value), str(value))

    def options(self, dimension: str) -> list[tuple[str, str]]:
        """Every known value of ``dimension`` with its label (for filter menus), by label."""
        source = _LABELS.get(dimension)
        if source is None:
            return []
        return sorted(source().items(), key=lambda item: item[1])
