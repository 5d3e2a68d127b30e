from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from ruta.geo.models import Municipality
from ruta.institutions.models import Institution, InstitutionService
from ruta.institutions.permissions import DirectoryPermission
from ruta.policy import access

if TYPE_CHECKING:
    from ruta.accounts.models import User

access.register(Institution, access.ScopeRules(institution=lambda ids: Q(pk__in=ids)))


def directory(
    *,
    actor: User,
    municipality: Municipality | None = None,
    department_code: str = "",
    service_code: str = "",
    institution_type: str = "",
) -> QuerySet[Institution]:
    """Active institutions, with the services they offer, that cover the given place and service."""
    services = InstitutionService.objects.filter(is_active=True).select_related("category")
    if municipality is not None:
        services = services.filter(InstitutionService.covering(municipality))
    elif department_code:
        services = services.filter(
            Q(national_coverage=True)
            | Q(departments__code=department_code)
            | Q(municipalities__department__code=department_code)
        )
    if service_code:
        services = services.filter(category__code=service_code)
    institutions = access.visible(
        actor, DirectoryPermission.VIEW, Institution.objects.filter(is_active=True).select_related("headquarters")
    )
    if institution_type:
        institutions = institutions.filter(type=institution_type)
    if municipality is not None or department_code or service_code:
        institutions = institutions.filter(pk__in=services.values("institution_id"))
    return institutions.prefetch_related(
        Prefetch("services", queryset=services.distinct().order_by("category__sort_order"), to_attr="matching_services")
    ).order_by("name")
