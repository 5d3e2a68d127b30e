"""Who reaches which network record, per scope (see ``ruta.policy.access``).

- ``own``: a network the user is a member of (and its records); threats they reported; bulletins
  they sent;
- ``territory``: records in the membership's department or municipality — a network by its seat or
  any municipality it covers, a threat or a bulletin by where it is.

There is no institution scope: networks cross institutions, their reach is their territory."""

from __future__ import annotations

from django.db.models import Q

from ruta.accounts.models import User
from ruta.networks.models import Bulletin, Delivery, FollowUpAction, Meeting, Member, Network, Threat
from ruta.policy import access


def _member_of(user: User) -> Q:
    return Q(pk__in=Member.objects.filter(user=user, is_active=True).values("network_id"))


def _networks_in(departments: set[int], municipalities: set[int]) -> Q:
    covering = Network.municipalities.through.objects.filter(municipality_id__in=municipalities)
    return (
        Q(department_id__in=departments)
        | Q(municipality_id__in=municipalities)
        | Q(pk__in=covering.values("network_id"))
    )


def _place(departments: set[int], municipalities: set[int]) -> Q:
    return Q(department_id__in=departments) | Q(municipality_id__in=municipalities)


def _through_network() -> access.ScopeRules:
    return access.ScopeRules(
        own=lambda user: Q(network_id__in=Network.objects.filter(_member_of(user)).values("pk")),
        territory=lambda departments, municipalities: Q(
            network_id__in=Network.objects.filter(_networks_in(departments, municipalities)).values("pk")
        ),
    )


access.register(Network, access.ScopeRules(own=_member_of, territory=_networks_in))
access.register(Member, _through_network())
access.register(Meeting, _through_network())
access.register(FollowUpAction, _through_network())
access.register(
    Threat,
    access.ScopeRules(own=lambda user: Q(reported_by=user), territory=_place),
)
access.register(
    Bulletin,
    access.ScopeRules(own=lambda user: Q(sent_by=user), territory=_place),
)
access.register(
    Delivery,
    access.ScopeRules(
        own=lambda user: Q(bulletin__sent_by=user),
        territory=lambda departments, municipalities: (
            Q(bulletin__department_id__in=departments) | Q(bulletin__municipality_id__in=municipalities)
        ),
    ),
)
