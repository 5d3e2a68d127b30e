from __future__ import annotations

from typing import Any

import pytest

from ruta.deadlines.models import Escalation
from ruta.referrals import demo
from ruta.referrals.models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_covers_the_states(personas: dict[str, Any]) -> None:
    demo.seed(personas)
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.SENT, ReferralStatus.DRAFT} <= statuses
    assert Escalation.objects.for_model(Referral).count() == 1
    count = Referral.objects.count()
    demo.seed(personas)
    assert Referral.objects.count() == count
