"""What the network hears back: its alerts' outcomes in the public tracking's plain statuses, and a
monthly summary of counts only, every count below k suppressed (``ruta.security.exports``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.alerts.models import PUBLIC_STATUS, Alert, AlertStatus, PublicStatus
from ruta.networks.models import (
    Bulletin,
    Delivery,
    DeliveryState,
    FollowUpAction,
    Meeting,
    Member,
    Network,
    Threat,
    ThreatStatus,
)
from ruta.security.exports import suppress


def network_alerts(network: Network) -> Q:
    """The network's alerts: reported by its members' accounts, or linked to its threats."""
    reporters = Member.objects.filter(network=network, user__isnull=False).values("user_id")
    linked = Threat.alerts.through.objects.filter(threat__network=network).values("alert_id")
    return Q(created_by_id__in=reporters) | Q(pk__in=linked)


def public_status_counts(alerts: Q, *, since: date | None = None, until: date | None = None) -> dict[str, int]:
    """Alerts per public status (received, being reviewed, attended, closed); merged duplicates are
    counted once, with the alert they joined."""
    rows = Alert.objects.filter(alerts).exclude(status=AlertStatus.MERGED)
    if since:
        rows = rows.filter(received_at__date__gte=since)
    if until:
        rows = rows.filter(received_at__date__lte=until)
    counts = dict.fromkeys(PublicStatus.values, 0)
    for status, count in rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"):
        counts[PUBLIC_STATUS[AlertStatus(status)]] += count
    return counts


@dataclass(frozen=True)
class SummaryLine:
    label: Promise
    value: int | str  # the count, or "<k" when suppressed


def monthly_summary(network: Network, first: date, last: date) -> list[SummaryLine]:
    """Counts only, for the month [first, last]; small cells suppressed for whoever reads it."""
    threats = Threat.objects.filter(network=network)
    deliveries = Delivery.objects.filter(bulletin__network=network, bulletin__sent_at__date__range=(first, last))
    statuses = public_status_counts(network_alerts(network), since=first, until=last)
    raw = [
        (_("Threats reported"), threats.filter(reported_at__date__range=(first, last)).count()),
        (
            _("Threats verified"),
            threats.filter(
                status__in=[ThreatStatus.VERIFIED, ThreatStatus.CLOSED], decided_at__date__range=(first, last)
            ).count(),
        ),
        (_("Bulletins sent"), Bulletin.objects.filter(network=network, sent_at__date__range=(first, last)).count()),
        (_("Messages delivered"), deliveries.filter(state=DeliveryState.SENT).count()),
        (_("Messages acknowledged"), deliveries.filter(acknowledged_at__isnull=False).count()),
        (_("Meetings held"), Meeting.objects.filter(network=network, held_on__range=(first, last)).count()),
        (
            _("Follow-up actions done"),
            FollowUpAction.objects.filter(network=network, done_at__date__range=(first, last)).count(),
        ),
        (_("Alerts from the network: received"), statuses[PublicStatus.RECEIVED]),
        (_("Alerts from the network: being reviewed"), statuses[PublicStatus.IN_REVIEW]),
        (_("Alerts from the network: attended"), statuses[PublicStatus.ATTENDED]),
        (_("Alerts from the network: closed"), statuses[PublicStatus.CLOSED]),
    ]
    return [SummaryLine(label, suppress(count)) for label, count in raw]
