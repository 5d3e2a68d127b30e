"""Demo data for screening: the bundled indicator catalogue (idempotent)."""

from __future__ import annotations

from typing import Any

from ruta.screening.models import Indicator, IndicatorList
from ruta.screening.services import ensure_catalogue


def seed(users: dict[str, Any]) -> dict[str, int]:
    ensure_catalogue()
    return {
        "indicator_lists": IndicatorList.objects.count(),
        "indicators": Indicator.objects.filter(is_active=True).count(),
    }
