"""Every change to a case goes through here, with its audit row in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.cases.models import CASE_REFERENCE_PREFIX, Case, CaseEvent, CaseMember, CasePerson, CasePersonRole
from ruta.core.references import next_reference
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution
from ruta.persons.models import Person


@transaction.atomic
def case_open(
    *,
    actor: Any,
    lead_institution: Institution,
    presumed_victims: Iterable[Person],
    municipality: Municipality | None = None,
    opened_at: datetime | None = None,
    origin: str = "",
) -> Case:
    """Open a case for one or more presumed victims; the actor becomes its owner and first team member.

    ``origin`` names where it came from (an alert reference, "direct") for the timeline."""
    victims = list(presumed_victims)
    if not victims:
        raise ValueError("a case needs at least one presumed victim")
    case = Case.objects.create(
        reference=next_reference(CASE_REFERENCE_PREFIX),
        opened_at=opened_at or timezone.now(),
        lead_institution=lead_institution,
        owner=actor,
        municipality=municipality,
    )
    CasePerson.objects.bulk_create(
        CasePerson(case=case, person=person, role=CasePersonRole.PRESUMED_VICTIM) for person in victims
    )
    CaseMember.objects.create(case=case, user=actor, institution=lead_institution)
    case_event_record(case=case, actor=actor, kind="case_opened", summary=origin or "direct")
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, summary=f"case opened ({origin or 'direct'})")
    return case


def case_event_record(
    *, case: Case, actor: Any, kind: str, summary: str = "", data: dict[str, Any] | None = None
) -> CaseEvent:
    """Add a step to the case timeline; call it inside the transaction of the change it records."""
    return CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        summary=summary[:300],
        data=data or {},
    )
