"""The threat register: places and patterns reported by members, verified or dismissed by the
focal point, closed when gone; linked to the alerts that mention them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.alerts.models import Alert
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.references import next_reference
from ruta.geo.models import Municipality
from ruta.inspections.models import Visit
from ruta.networks.models import THREAT_REFERENCE_PREFIX, Network, Threat, ThreatStatus, ThreatType
from ruta.networks.names import check_for_names
from ruta.networks.permissions import NetworkPermission
from ruta.networks.rules import NetworkError, reaches_place, require
from ruta.policy import access

NAME_WARNING = _(
    "The description seems to name a person. The register keeps places and patterns, never persons: "
    "remove any name of a victim, a witness or anyone else, and describe the place or the pattern instead."
)
NAME_STILL_THERE = _(
    "The description still contains a name that must not be kept here. Rephrase it without the person's name."
)


@dataclass(frozen=True)
class ThreatInput:
    threat_type: ThreatType
    title: str
    description: str
    municipality: Municipality
    evidence: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    not_a_name: bool = False  # the reporter confirms the flagged words are not a person's name


def _network_for(municipality: Municipality) -> Network | None:
    return Network.objects.filter(is_active=True, municipalities=municipality).order_by("-municipality_id").first()


def _check_names(data: ThreatInput) -> bool:
    """Refuses a narrative that names someone; True when the reporter confirmed a heuristic match away."""
    found = check_for_names(data.title, data.description, data.evidence)
    if found.registry and data.not_a_name:
        raise NetworkError("person_name", NAME_STILL_THERE, "description")
    if found.found and not data.not_a_name:
        raise NetworkError("person_name", NAME_WARNING, "description")
    return found.heuristic


def _check_place(data: ThreatInput) -> None:
    if (data.latitude is None) != (data.longitude is None):
        raise NetworkError("coordinates", _("Give both latitude and longitude, or neither."), "latitude")
    # Honduras and its waters, with a margin: a point far outside is a typing error.
    if data.latitude is not None and not (Decimal("12") <= data.latitude <= Decimal("18.5")):
        raise NetworkError("coordinates", _("The latitude is outside Honduras."), "latitude")
    if data.longitude is not None and not (Decimal("-90") <= data.longitude <= Decimal("-83")):
        raise NetworkError("coordinates", _("The longitude is outside Honduras."), "longitude")


@transaction.atomic
def threat_report(*, actor: User, data: ThreatInput, reported_at: datetime | None = None) -> Threat:
    require(reaches_place(actor, NetworkPermission.THREAT_REPORT, data.municipality))
    if not data.title.strip() or not data.description.strip():
        raise NetworkError("required", _("Name the place or pattern and describe what was seen."), "description")
    _check_place(data)
    confirmed = _check_names(data)
    threat = Threat.objects.create(
        reference=next_reference(THREAT_REFERENCE_PREFIX),
        network=_network_for(data.municipality),
        threat_type=data.threat_type,
        title=data.title.strip(),
        description=data.description.strip(),
        evidence=data.evidence.strip(),
        municipality=data.municipality,
        department_id=data.municipality.department_id,
        latitude=data.latitude,
        longitude=data.longitude,
        reported_by=actor,
        reported_at=reported_at or timezone.now(),
        name_warning_confirmed=confirmed,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=threat,
        summary=f"threat reported ({data.threat_type.code}, {data.municipality.code})"
        + (" — reporter confirmed no person's name" if confirmed else ""),
    )
    return threat


TRANSITIONS = {
    "verify": ({ThreatStatus.REPORTED}, ThreatStatus.VERIFIED),
    "dismiss": ({ThreatStatus.REPORTED}, ThreatStatus.DISMISSED),
    "close": ({ThreatStatus.VERIFIED}, ThreatStatus.CLOSED),
}


@transaction.atomic
def threat_decide(*, actor: User, threat: Threat, decision: str, note: str = "") -> Threat:
    """The focal point verifies or dismisses a reported threat, or closes a verified one that is gone."""
    require(access.visible(actor, NetworkPermission.THREAT_VERIFY, Threat.objects.filter(pk=threat.pk)).exists())
    if decision not in TRANSITIONS:
        raise NetworkError("invalid", _("Unknown decision."), "decision")
    allowed, target = TRANSITIONS[decision]
    now = timezone.now()
    fields: dict[str, object] = {"status": target, "decision_note": note.strip()[:500]}
    if decision == "close":
        fields["closed_at"] = now
    else:
        fields.update(decided_by=actor, decided_at=now)
    if not Threat.objects.filter(pk=threat.pk, status__in=allowed).update(**fields):
        raise NetworkError("status", _("This threat was already decided; reload the page."), "decision")
    old = threat.status
    threat.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=threat,
        summary=f"threat {old} → {target}",
        changes={"status": [old, target]},
    )
    return threat


@transaction.atomic
def threat_link(*, actor: User, threat: Threat, reference: str) -> Alert | Visit:
    """Link an alert (by its reference) or an inspection visit (by its id) that mentions this threat.
    Only records of the threat's municipality can be linked, so one from elsewhere answers like an
    unknown one."""
    require(access.visible(actor, NetworkPermission.THREAT_VERIFY, Threat.objects.filter(pk=threat.pk)).exists())
    reference = reference.strip()
    try:
        visit_id: uuid.UUID | None = uuid.UUID(reference)
    except ValueError:
        visit_id = None
    if visit_id is not None:
        visit = Visit.objects.filter(uuid=visit_id, municipality_id=threat.municipality_id).first()
        if visit is not None:
            threat.visits.add(visit)
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=threat, summary=f"linked to visit {visit.uuid}")
            return visit
    alert = Alert.objects.filter(reference=reference.upper(), municipality_id=threat.municipality_id).first()
    if alert is None:
        raise NetworkError(
            "unknown_reference",
            _("No alert or inspection visit with that reference in this threat's municipality."),
            "reference",
        )
    threat.alerts.add(alert)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=threat, summary=f"linked to alert {alert.reference}")
    return alert
