"""Reads of the networks app: every list through ``access.visible`` for the asking user."""

from __future__ import annotations

from django.db.models import QuerySet

from ruta.accounts.models import User
from ruta.geo.models import Municipality
from ruta.networks.models import Bulletin, Delivery, Network, Threat
from ruta.networks.permissions import NetworkPermission
from ruta.policy import access
from ruta.policy.permissions import Permission
from ruta.policy.roles import Scope


def networks_for(user: User, permission: Permission = NetworkPermission.VIEW) -> QuerySet[Network]:
    return access.visible(user, permission, Network.objects.select_related("municipality", "department"))


def threats_for(user: User) -> QuerySet[Threat]:
    return access.visible(
        user, NetworkPermission.THREAT_VIEW, Threat.objects.select_related("threat_type", "municipality__department")
    )


def bulletins_for(user: User, network: Network) -> QuerySet[Bulletin]:
    return access.visible(user, NetworkPermission.BULLETIN_VIEW, Bulletin.objects.filter(network=network))


def deliveries_for(user: User, bulletin: Bulletin) -> QuerySet[Delivery]:
    return access.visible(user, NetworkPermission.BULLETIN_VIEW, Delivery.objects.filter(bulletin=bulletin))


def risk_municipalities(user: User) -> QuerySet[Municipality] | None:
    """The municipalities whose risk ``user`` may see: None for the whole country."""
    found = access.grants(user, NetworkPermission.RISK_VIEW)
    if any(
        grant.scope == Scope.NATIONAL or (grant.department_id is None and grant.municipality_id is None)
        for grant in found
    ):
        return None
    departments = {grant.department_id for grant in found if grant.department_id and not grant.municipality_id}
    municipalities = {grant.municipality_id for grant in found if grant.municipality_id}
    return Municipality.objects.filter(department_id__in=departments) | Municipality.objects.filter(
        pk__in=municipalities
    )
