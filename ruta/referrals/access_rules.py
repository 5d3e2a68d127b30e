"""Who reaches which referral, per scope (see ``ruta.policy.access``).

- ``own``: the user who created or sent it;
- ``team``: the active team of the referral's case;
- ``institution``: the sending or the receiving institution.

The selectors narrow this further per side: the receiving side (REFERRAL_RECEIVE) only reaches
referrals addressed to its own institutions, and sees only the shared sections."""

from __future__ import annotations

from django.db.models import Q

from ruta.cases.models import CaseMember
from ruta.policy import access
from ruta.referrals.models import LegalMilestone, Referral

access.register(
    Referral,
    access.ScopeRules(
        own=lambda user: Q(created_by=user) | Q(sent_by=user),
        team=lambda user: Q(case_id__in=CaseMember.objects.filter(user=user, is_active=True).values("case_id")),
        institution=lambda ids: Q(from_institution_id__in=ids) | Q(to_institution_id__in=ids),
    ),
)

access.register(
    LegalMilestone,
    access.ScopeRules(
        own=lambda user: Q(recorded_by=user),
        team=lambda user: Q(case_id__in=CaseMember.objects.filter(user=user, is_active=True).values("case_id")),
        institution=lambda ids: Q(institution_id__in=ids),
    ),
)
