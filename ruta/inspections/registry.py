"""The workplace registry: adding and editing establishments, with the duplicate check on
normalised name + municipality + tax id (RTN)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.geo.models import Municipality
from ruta.inspections.models import Establishment, Sector
from ruta.inspections.permissions import InspectionPermission
from ruta.inspections.risk import refresh_risk
from ruta.policy import access

# Legal-form words that do not tell two workplaces apart ("Finca El Roble, S.A." = "Finca El Roble").
_LEGAL_FORMS = {"s", "a", "sa", "de", "c", "v", "cv", "srl", "rl", "sociedad", "anonima", "cia"}
_LEGAL_FORMS |= {"y", "el", "la", "los", "las"}


class EstablishmentError(Exception):
    def __init__(self, errors: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(errors)
        self.errors = errors


def normalise_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = [word for word in re.findall(r"[a-z0-9]+", folded) if word not in _LEGAL_FORMS]
    return " ".join(words)[:200]


def normalise_tax_id(tax_id: str) -> str:
    return re.sub(r"\D", "", tax_id or "")


def possible_duplicates(
    *, name: str, municipality: Municipality, tax_id: str = "", exclude: int | None = None
) -> QuerySet[Establishment]:
    """Establishments that are probably the same workplace: the same tax id anywhere, or the same
    normalised name in the same municipality."""
    condition = Q(municipality=municipality, name_key=normalise_name(name))
    rtn = normalise_tax_id(tax_id)
    if rtn:
        condition |= Q(tax_id=rtn)
    found = Establishment.objects.filter(condition, is_active=True)
    return found.exclude(pk=exclude) if exclude else found


@dataclass
class EstablishmentInput:
    name: str
    sector: Sector
    municipality: Municipality
    tax_id: str = ""
    address: str = ""
    size: str = "unknown"
    workers: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@transaction.atomic
def establishment_create(
    *, actor: User, data: EstablishmentInput, allow_duplicate: bool = False, is_synthetic: bool = False
) -> Establishment:
    """Register a workplace; refuses a probable duplicate unless the user confirmed it is another one."""
    if not access.has_perm(actor, InspectionPermission.ESTABLISHMENT_MANAGE):
        raise PermissionDenied
    name = data.name.strip()
    if not name:
        raise EstablishmentError({"name": [("required", _("Give the establishment's name."))]})
    if not allow_duplicate:
        duplicates = list(possible_duplicates(name=name, municipality=data.municipality, tax_id=data.tax_id)[:5])
        if duplicates:
            raise EstablishmentError(
                {
                    "name": [
                        (
                            "duplicate",
                            _("This establishment may already be registered: %(names)s.")
                            % {"names": ", ".join(f"{d.name} ({d.pk})" for d in duplicates)},
                        )
                    ]
                }
            )
    establishment = Establishment.objects.create(
        name=name,
        name_key=normalise_name(name),
        tax_id=normalise_tax_id(data.tax_id),
        sector=data.sector,
        municipality=data.municipality,
        department_id=data.municipality.department_id,
        address=data.address,
        size=data.size,
        workers=data.workers,
        latitude=data.latitude,
        longitude=data.longitude,
        created_by=actor,
        is_synthetic=is_synthetic,
    )
    refresh_risk(establishment_ids=[establishment.pk])
    establishment.refresh_from_db(fields=["risk_score", "risk_factors", "risk_computed_at"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=establishment, summary="establishment registered")
    return establishment
