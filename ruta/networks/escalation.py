"""The networks' two ways of raising the alarm inside Ruta:

- a follow-up action agreed in a meeting is a kind of the deadline engine (``ruta.deadlines``):
  missed, it escalates once to the coordinators whose territory reaches the network;
- a P1 alert received in a municipality a network covers is escalated once to that network's focal
  points (the alerts app offers no hook on intake, so a periodic scan reads the recent P1 alerts;
  the unique ``P1Escalation`` row per alert and network makes it exactly-once whichever worker runs
  it). The notice never carries the alert's narrative or persons: where, when and how urgent."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ruta.alerts.models import Alert, Priority
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.texts import Text
from ruta.deadlines.models import Escalation
from ruta.deadlines.registry import DeadlineKind, Notice
from ruta.networks.models import FollowUpAction, Network, P1Escalation
from ruta.networks.permissions import NetworkPermission
from ruta.notifications.services import notify
from ruta.policy.access import holders

LOOKBACK = timedelta(hours=48)  # a P1 older than this when first seen is no longer news for a network
P1_NOTIFICATION = "network.p1_alert"


def _action_notice(action: FollowUpAction, due_at: datetime) -> Notice:
    params = {"network": action.network.name, "due": timezone.localtime(due_at).strftime("%Y-%m-%d")}
    return Notice(
        subject=Text(gettext_noop("%(network)s: a follow-up action is overdue"), params),
        body=Text(
            gettext_noop("An action agreed in a meeting of %(network)s was due on %(due)s and is not done."), params
        ),
    )


def _action_escalated(action: FollowUpAction, escalation: Escalation) -> None:
    """The engine's audit row is this action's whole timeline: nothing more to write."""


FOLLOW_UP_DEADLINE = DeadlineKind(
    model=FollowUpAction,
    code="follow_up",
    label=_("Follow-up action of a network meeting"),
    due_field="due_at",
    pending=Q(done_at__isnull=True),
    escalated_field="escalated_at",
    permission=NetworkPermission.ACTION_ESCALATION,
    notification_kind="network.action_overdue",
    notice=_action_notice,
    url=lambda action: f"/networks/{action.network.code}/",
    on_escalated=_action_escalated,
)


def _p1_notice(alert: Alert, network: Network) -> tuple[Text, Text]:
    params = {
        "municipality": alert.municipality.name if alert.municipality else "",
        "network": network.name,
        "received": timezone.localtime(alert.received_at).strftime("%Y-%m-%d %H:%M"),
    }
    return (
        Text(gettext_noop("P1 alert in %(municipality)s"), params),
        Text(
            gettext_noop(
                "An immediate-priority (P1) alert was received on %(received)s in %(municipality)s. The response "
                "team handles it; you may warn the members of %(network)s with a bulletin."
            ),
            params,
        ),
    )


def escalate_p1(*, alert: Alert, network: Network, now: datetime) -> bool:
    """Tell the network's focal points about one P1 alert, once. False if it was told already."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                marker = P1Escalation.objects.create(alert=alert, network=network, escalated_at=now)
        except IntegrityError:
            return False
        recipients = holders(NetworkPermission.P1_ESCALATION, network)
        subject, body = _p1_notice(alert, network)
        notify(
            recipients=recipients,
            kind=P1_NOTIFICATION,
            subject=subject,
            body=body,
            url=f"/networks/{network.code}/bulletins/new/?alert={alert.reference}",
            dedupe_key=f"network-p1:{alert.pk}:{network.pk}",
        )
        marker.recipients = len(recipients)
        marker.save(update_fields=["recipients"])
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            obj=network,
            summary=f"P1 alert {alert.reference} escalated to {len(recipients)} focal points",
        )
    return True


def escalate_new_p1_alerts(*, now: datetime | None = None) -> int:
    """Escalate every recent P1 alert to each active network covering its municipality, once."""
    now = now or timezone.now()
    covered = Network.municipalities.through.objects.filter(network__is_active=True).values("municipality_id")
    alerts = Alert.objects.filter(
        priority=Priority.P1, received_at__gte=now - LOOKBACK, municipality_id__in=covered
    ).select_related("municipality")
    done = 0
    for alert in alerts.order_by("received_at", "pk")[:500]:
        told = P1Escalation.objects.filter(alert=alert).values("network_id")
        for network in Network.objects.filter(is_active=True, municipalities=alert.municipality_id).exclude(
            pk__in=told
        ):
            done += escalate_p1(alert=alert, network=network, now=now)
    return done
