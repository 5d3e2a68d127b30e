"""Who is told about a referral: the holders of REFERRAL_RECEIVE at the receiving institution for
"received" and "revoked"; the holders of ESCALATION_RECEIVE at the sending institution reaching the
case for a missed deadline. Never by hand: ``ruta.policy.access.holders``."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ruta.deadlines.services import escalation_recipients
from ruta.notifications.models import Notification
from ruta.referrals import services
from ruta.referrals.deadlines import ACCEPTANCE_DEADLINE
from ruta.referrals.models import Referral
from tests.referrals.factories import make_case, make_referral

pytestmark = pytest.mark.django_db

# REFERRAL_RECEIVE at the health ministry (the receiver): its caseworker and its supervisor. The ERI
# supervisor also holds REFERRAL_RECEIVE and reaches the referral through the sending institution,
# but the referral was not sent to her.
RECEIVERS = ["salud", "supervisor.salud"]


def _told(referral: Referral, kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind, url=f"/referrals/{referral.reference}/").values_list(
            "recipient__username", flat=True
        )
    )


def test_received_and_revoked_go_to_the_receiving_institution(personas: dict[str, Any]) -> None:
    referral = make_referral(personas)
    assert _told(referral, "referral_received") == RECEIVERS
    services.referral_revoke(actor=personas["eri_responder"], referral=referral, reason="Error de servicio.")
    assert _told(referral, "referral_revoked") == RECEIVERS


def test_escalations_go_to_the_senders_supervisors_reaching_the_case(personas: dict[str, Any]) -> None:
    referral = make_referral(personas, case=make_case(personas, municipality="0501"))
    Referral.objects.filter(pk=referral.pk).update(accept_due_at=timezone.now())
    # The ERI supervisor has no territory (the whole country); the health supervisor holds
    # ESCALATION_RECEIVE too, but at the receiving institution: not his referral to chase.
    assert [u.get_username() for u in escalation_recipients(ACCEPTANCE_DEADLINE, referral)] == ["supervisora"]
