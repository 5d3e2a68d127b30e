from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ruta.networks import demo
from ruta.networks.models import Bulletin, Delivery, DeliveryState, Network, Threat, ThreatStatus, VulnerabilityValue
from ruta.networks.risk import risk_pictures

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_tells_a_story(personas: dict[str, Any]) -> None:
    demo.seed(personas)
    assert set(Network.objects.values_list("municipality__code", flat=True)) == {"0801", "0101"}
    assert Threat.objects.filter(status=ThreatStatus.VERIFIED).count() >= 3
    assert Threat.objects.filter(status=ThreatStatus.REPORTED).exists()
    assert VulnerabilityValue.objects.exists()
    assert not VulnerabilityValue.objects.filter(is_illustrative=False).exists()
    bulletin = Bulletin.objects.get()
    assert Delivery.objects.filter(bulletin=bulletin, state=DeliveryState.SENT).exists()
    assert Delivery.objects.filter(bulletin=bulletin, acknowledged_at__isnull=False).count() == 2
    assert not Threat.objects.filter(is_synthetic=False).exists()  # statistics leave demo data out
    counts = (Network.objects.count(), Threat.objects.count(), Delivery.objects.count())
    demo.seed(personas)
    assert (Network.objects.count(), Threat.objects.count(), Delivery.objects.count()) == counts
    [picture] = risk_pictures(
        until=timezone.localdate(), municipalities=[Network.objects.get(code="red-la-ceiba").municipality]
    )
    assert picture.points > 0
