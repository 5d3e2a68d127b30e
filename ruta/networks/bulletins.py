"""Rapid alerts out: a bulletin to a network's members, one delivery per member, each sent exactly
once.

Sending a bulletin creates one ``Delivery`` row per member who can receive it, in the bulletin's
transaction; nothing leaves then. The sender (``send_due``, run by the worker's periodic task)
handles each due delivery in three steps:

1. **claim** it with a conditional UPDATE (queued and due → sending, with a lease) that commits on
   its own, before anything is sent: two workers never both win it;
2. **send** it (Django mail, or RapidPro's broadcast API for SMS and WhatsApp);
3. **mark** the outcome in one transaction: sent; or back to queued with an exponential back-off
   after an error or a time-out; or *not delivered* after ``MAX_ATTEMPTS``.

A worker killed between 1 and 3 leaves the delivery *sending*; once its lease has run out it is
marked *not confirmed* and never sent again (it may have left): at most once, never twice. The
job system's handlers run inside one transaction, which cannot commit a claim before the message
leaves, so this runs as a periodic task (outside any transaction) with the back-off kept on the row."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.alerts.models import Alert
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.references import next_reference
from ruta.core.texts import reader_language
from ruta.networks import rapidpro
from ruta.networks.links import acknowledge_url, acknowledged_delivery, opt_out_url
from ruta.networks.models import (
    BULLETIN_REFERENCE_PREFIX,
    Bulletin,
    BulletinKind,
    ContactChannel,
    Delivery,
    DeliveryState,
    Member,
    Network,
    P1Escalation,
    RapidProChannel,
    Threat,
)
from ruta.networks.permissions import NetworkPermission
from ruta.networks.rules import NetworkError, require
from ruta.policy import access

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
BACKOFF = timedelta(seconds=30)  # then 1, 2, 4 minutes…
LEASE = timedelta(minutes=5)
TEXT_MAX = 1000
BATCH = 200


def audience(network: Network) -> QuerySet[Member]:
    """The members a bulletin reaches now: active, consenting, not opted out, with an address."""
    has_address = (Q(channel=ContactChannel.EMAIL) & ~Q(email="")) | (
        Q(channel__in=[ContactChannel.SMS, ContactChannel.WHATSAPP]) & ~Q(phone="")
    )
    return Member.objects.filter(
        has_address, network=network, is_active=True, consent_to_contact=True, opted_out_at__isnull=True
    )


@transaction.atomic
def bulletin_send(
    *,
    actor: User,
    network: Network,
    kind: str,
    text: str,
    alert: Alert | None = None,
    threat: Threat | None = None,
) -> Bulletin:
    require(access.visible(actor, NetworkPermission.BULLETIN_SEND, Network.objects.filter(pk=network.pk)).exists())
    if kind not in BulletinKind.values:
        raise NetworkError("invalid", _("Choose what the bulletin is about."), "kind")
    text = (text or "").strip()
    if not text:
        raise NetworkError("required", _("Write the message."), "text")
    if len(text) > TEXT_MAX:
        raise NetworkError("too_long", _("Keep the message under 1,000 characters."), "text")
    if alert is not None and not P1Escalation.objects.filter(alert=alert, network=network).exists():
        raise NetworkError("invalid", _("That alert was not escalated to this network."), "alert")
    if threat is not None and threat.network_id != network.pk:
        raise NetworkError("invalid", _("That threat is not in this network's register."), "threat")
    members = list(audience(network).values_list("pk", "channel"))
    if not members:
        raise NetworkError(
            "empty_audience",
            _(
                "Nobody in this network can receive a bulletin: no member agreed to be contacted, all of "
                "them opted out, or none has an address for their channel. Nothing was sent."
            ),
        )
    now = timezone.now()
    bulletin = Bulletin.objects.create(
        reference=next_reference(BULLETIN_REFERENCE_PREFIX),
        network=network,
        department_id=network.department_id,
        municipality_id=network.municipality_id,
        kind=kind,
        text=text,
        alert=alert,
        threat=threat,
        sent_by=actor,
        sent_at=now,
    )
    Delivery.objects.bulk_create(
        Delivery(bulletin=bulletin, member_id=member_id, channel=channel, next_attempt_at=now)
        for member_id, channel in members
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=bulletin,
        summary=f"bulletin {kind} to {len(members)} members of {network.code}",
    )
    return bulletin


# --- the sender ---------------------------------------------------------------------------------


def claim(delivery_id: int, *, worker: str, now: datetime) -> bool:
    """Take a due delivery for sending; commits on its own, before the message leaves."""
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("a delivery claim must commit before sending: call outside a transaction")
    return bool(
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.QUEUED, next_attempt_at__lte=now).update(
            state=DeliveryState.SENDING, claimed_by=worker, claimed_until=now + LEASE, attempts=F("attempts") + 1
        )
    )


def message_for(delivery: Delivery) -> tuple[str, str]:
    """(subject, text) in the member's language (their account's, else the default)."""
    member, bulletin = delivery.member, delivery.bulletin
    language = reader_language(member.user) if member.user else settings.LANGUAGE_CODE
    with translation.override(language):
        subject = f"[Ruta] {BulletinKind(bulletin.kind).label} — {member.network.name}"
        text = "\n\n".join(
            [
                bulletin.text,
                gettext("Tell us you read it: %(url)s") % {"url": acknowledge_url(delivery.pk)},
                gettext("To stop receiving these messages: %(url)s") % {"url": opt_out_url(member.pk)},
            ]
        )
    return subject, text


def _transmit(delivery: Delivery) -> str:
    """Send one delivery; the provider's id, or raises ``rapidpro.SendFailed``."""
    subject, text = message_for(delivery)
    if delivery.channel == ContactChannel.EMAIL:
        try:
            send_mail(subject=subject, message=text, from_email=None, recipient_list=[delivery.member.email])
        except (SMTPException, OSError) as error:
            raise rapidpro.SendFailed(f"mail server: {type(error).__name__}") from None
        return ""
    config = RapidProChannel.objects.filter(channel=delivery.channel, is_active=True).first()
    if config is None:
        raise NotConfigured
    return rapidpro.broadcast(config, to=delivery.member.phone, text=text, timeout=rapidpro.TIMEOUT).provider_id


class NotConfigured(Exception):
    """No RapidPro workspace for this channel: retrying cannot help."""


def _finish(delivery: Delivery, worker: str, **fields: object) -> None:
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING, claimed_by=worker).update(
            claimed_until=None, **fields
        )


def deliver(delivery_id: int, *, worker: str, now: datetime | None = None) -> str:
    """Claim, send and mark one delivery; returns its state afterwards (unchanged if not claimed)."""
    now = now or timezone.now()
    if not claim(delivery_id, worker=worker, now=now):
        return str(Delivery.objects.values_list("state", flat=True).get(pk=delivery_id))
    delivery = Delivery.objects.select_related("member__network", "member__user", "bulletin").get(pk=delivery_id)
    if not delivery.member.reachable:  # opted out (or withdrew consent) since the bulletin was sent
        _finish(delivery, worker, state=DeliveryState.NOT_DELIVERED, last_error="no longer reachable")
        return DeliveryState.NOT_DELIVERED
    try:
        provider_id = _transmit(delivery)
    except NotConfigured:
        _finish(delivery, worker, state=DeliveryState.NOT_DELIVERED, last_error=f"no {delivery.channel} channel")
        return DeliveryState.NOT_DELIVERED
    except rapidpro.SendFailed as failure:
        if delivery.attempts >= MAX_ATTEMPTS:
            _finish(delivery, worker, state=DeliveryState.NOT_DELIVERED, last_error=failure.reason)
            return DeliveryState.NOT_DELIVERED
        retry_at = timezone.now() + BACKOFF * 2 ** (delivery.attempts - 1)
        _finish(delivery, worker, state=DeliveryState.QUEUED, next_attempt_at=retry_at, last_error=failure.reason)
        return DeliveryState.QUEUED
    _finish(delivery, worker, state=DeliveryState.SENT, sent_at=timezone.now(), provider_id=provider_id, last_error="")
    return DeliveryState.SENT


def give_up_on_lost_claims(now: datetime) -> int:
    """Deliveries whose sender died mid-way: they may have left, so they are never sent again."""
    return Delivery.objects.filter(state=DeliveryState.SENDING, claimed_until__lt=now).update(
        state=DeliveryState.UNCONFIRMED, claimed_until=None, last_error="sender stopped while sending"
    )


def send_due(*, worker: str, now: datetime | None = None, limit: int = BATCH) -> int:
    """Send the due deliveries (up to ``limit``); returns how many this call handled."""
    now = now or timezone.now()
    give_up_on_lost_claims(now)
    due = Delivery.objects.filter(state=DeliveryState.QUEUED, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    handled = 0
    for delivery_id in list(due.values_list("pk", flat=True)[:limit]):
        try:
            deliver(delivery_id, worker=worker, now=now)
        except Exception:
            # The claim stays; the lease runs out and the delivery is reported not confirmed.
            logger.exception("delivery %s failed", delivery_id)
        handled += 1
    return handled


# --- acknowledgement ----------------------------------------------------------------------------


def delivery_from_token(token: str) -> Delivery | None:
    delivery_id = acknowledged_delivery(token)
    if delivery_id is None:
        return None
    return Delivery.objects.select_related("bulletin__network").filter(pk=delivery_id).first()


@transaction.atomic
def delivery_acknowledge(*, delivery: Delivery) -> bool:
    """The member read the bulletin (through the signed link); True the first time."""
    done = Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(acknowledged_at=timezone.now())
    if done:
        audit_record(actor=None, action=AuditAction.UPDATE, obj=delivery, summary="bulletin acknowledged by the member")
    return bool(done)
