"""What the offline form reads about a visit (the contract's read shape), labels in the active language."""

from __future__ import annotations

from typing import Any

from ruta.accounts.models import User
from ruta.inspections import records
from ruta.inspections.models import Establishment, LegalBasis, Visit
from ruta.inspections.selectors import infractions_of, interviews_for
from ruta.screening.models import Indicator, ListKind


def establishment_payload(establishment: Establishment) -> dict[str, Any]:
    return {
        "id": establishment.pk,
        "name": establishment.name,
        "sector": {"code": establishment.sector.code, "label": establishment.sector.label},
        "municipality": {"code": establishment.municipality.code, "label": establishment.municipality.name},
        "address": establishment.address,
    }


def visit_summary(visit: Visit) -> dict[str, Any]:
    return {
        "id": str(visit.uuid),
        "version": visit.version,
        "inspection_type": visit.inspection_type,
        "inspection_type_label": str(visit.get_inspection_type_display()),
        "status": visit.status,
        "planned_for": visit.planned_for.isoformat() if visit.planned_for else None,
        "establishment": establishment_payload(visit.establishment),
        "data": records.visit_data(visit),
    }


def _indicators(**filters: Any) -> list[dict[str, Any]]:
    rows = (
        Indicator.objects.filter(is_active=True, **filters)
        .select_related("dimension", "indicator_list")
        .order_by("indicator_list__position", "position", "code")
    )
    return [
        {
            "code": row.code,
            "label": row.label,
            "dimension": row.dimension.code if row.dimension else "",
            "exploitation": row.indicator_list.exploitation,
        }
        for row in rows
    ]


def visit_payload(user: User, visit: Visit) -> dict[str, Any]:
    interviews, identities = interviews_for(user, visit)
    steps = visit.protocol.steps.all()
    return {
        **visit_summary(visit),
        "protocol": {
            "version": visit.protocol.version,
            "steps": [
                {
                    "code": step.code,
                    "label": step.label,
                    "guidance": step.guidance_text,
                    "required_evidence": step.required_evidence_text,
                    "competencies": list(step.competency_codes),
                    "required": step.required,
                }
                for step in steps
            ],
        },
        "interviews": [
            {
                "id": str(interview.uuid),
                "version": interview.version,
                "data": records.interview_data(interview, identities=identities),
                "screening_outcome": interview.screening_outcome,
            }
            for interview in interviews
        ],
        "infractions": [
            {"id": str(infraction.uuid), "version": infraction.version, "data": records.infraction_data(infraction)}
            for infraction in infractions_of(visit)
        ],
        "legal_bases": [
            {"code": basis.code, "label": basis.label, "is_example": basis.is_example}
            for basis in LegalBasis.objects.filter(is_active=True)
        ],
        "forced_labour_indicators": [
            {"code": item["code"], "label": item["label"]}
            for item in _indicators(indicator_list__kind=ListKind.FORCED_LABOUR)
        ],
        "ilo_ec_indicators": {
            group: _indicators(indicator_list__kind=ListKind.ILO_EC, indicator_list__age_group=group)
            for group in ("adult", "child")
        },
        "handed_over": hasattr(visit, "handover"),
        "identities_shown": identities,
    }
