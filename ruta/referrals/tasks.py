"""Background work for referrals: escalate missed acceptance and completion deadlines."""

from __future__ import annotations

from datetime import timedelta

from ruta.jobs.services import periodic
from ruta.referrals.services import referral_escalate_overdue


@periodic("referrals.escalate_overdue", every=timedelta(minutes=5))
def escalate_overdue_referrals() -> int:
    return referral_escalate_overdue()
