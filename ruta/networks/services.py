"""Changing a network: its members (with consent and opt-out), meetings and follow-up actions.

Every change goes through one of these functions, which checks the actor's reach and writes the
audit row in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.audit.models import AuditAction
from ruta.audit.services import audit_record
from ruta.core.crypto import search_token
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution
from ruta.networks.models import (
    ContactChannel,
    Delivery,
    DeliveryState,
    FollowUpAction,
    Meeting,
    Member,
    MemberRole,
    Network,
    Organisation,
)
from ruta.networks.permissions import NetworkPermission
from ruta.networks.rules import NetworkError, reaches_place, require
from ruta.policy import access

PHONE_PURPOSE = "network-member-phone"
# Network codes are page addresses (/networks/<code>/): these name other pages.
RESERVED_CODES = frozenset({"new", "threats", "risk", "vulnerability", "bulletins"})


def normalise_phone(raw: str) -> str:
    """An E.164 number (``+50499998888``); a Honduran 8-digit number gets +504. Empty if not a number."""
    digits = "".join(char for char in raw or "" if char.isdigit())
    if raw.strip().startswith("+") and 8 <= len(digits) <= 15:
        return f"+{digits}"
    if len(digits) == 8:
        return f"+504{digits}"
    return ""


def phone_token(phone: str) -> str:
    return search_token(phone, purpose=PHONE_PURPOSE) if phone else ""


@transaction.atomic
def network_create(
    *, actor: User, code: str, name: str, municipality: Municipality, covers: list[Municipality] | None = None
) -> Network:
    require(reaches_place(actor, NetworkPermission.MANAGE, municipality))
    if code in RESERVED_CODES or Network.objects.filter(code=code).exists():
        raise NetworkError("code_taken", _("This code is taken; choose another."), "code")
    network = Network.objects.create(
        code=code, name=name, municipality=municipality, department_id=municipality.department_id
    )
    network.municipalities.set({municipality, *(covers or [])})
    audit_record(actor=actor, action=AuditAction.CREATE, obj=network, summary=f"network {code} created")
    return network


@transaction.atomic
def organisation_add(*, actor: User, network: Network, name: str, institution: Institution | None) -> Organisation:
    """The network's organisation of that name (or the institution's), added if new."""
    require(access.visible(actor, NetworkPermission.MANAGE, Network.objects.filter(pk=network.pk)).exists())
    name = name.strip() or (institution.name if institution else "")
    organisation = Organisation.objects.filter(network=network, name__iexact=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(network=network, name=name, institution=institution)
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=organisation, summary=f"organisation joined {network.code}"
        )
    return organisation


@dataclass(frozen=True)
class MemberInput:
    name: str
    role: str
    channel: str
    email: str = ""
    phone: str = ""
    consent_to_contact: bool = False
    organisation: Organisation | None = None
    user: User | None = None


def _contact(data: MemberInput) -> tuple[str, str]:
    email = data.email.strip().lower()
    phone = normalise_phone(data.phone) if data.phone.strip() else ""
    if data.phone.strip() and not phone:
        raise NetworkError(
            "invalid_phone", _("Write the mobile number with its country code, e.g. +504 9999 8888."), "phone"
        )
    if data.channel == ContactChannel.EMAIL and not email:
        raise NetworkError("required", _("An e-mail address is needed to be contacted by e-mail."), "email")
    if data.channel in (ContactChannel.SMS, ContactChannel.WHATSAPP) and not phone:
        raise NetworkError("required", _("A mobile number is needed to be contacted by SMS or WhatsApp."), "phone")
    return email, phone


@transaction.atomic
def member_add(*, actor: User, network: Network, data: MemberInput) -> Member:
    require(access.visible(actor, NetworkPermission.MANAGE, Network.objects.filter(pk=network.pk)).exists())
    if data.role not in MemberRole.values or data.channel not in ContactChannel.values:
        raise NetworkError("invalid", _("Choose a role and a contact channel."), "role")
    if not data.name.strip():
        raise NetworkError("required", _("Write the member's name."), "name")
    if data.organisation is not None and data.organisation.network_id != network.pk:
        raise NetworkError("invalid", _("That organisation is not in this network."), "organisation")
    email, phone = _contact(data)
    now = timezone.now()
    member = Member.objects.create(
        network=network,
        user=data.user,
        organisation=data.organisation,
        name=data.name.strip(),
        role=data.role,
        email=email,
        phone=phone,
        phone_token=phone_token(phone),
        channel=data.channel,
        consent_to_contact=data.consent_to_contact,
        consent_recorded_at=now if data.consent_to_contact else None,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=member,
        summary=f"member added to {network.code} ({data.role}, {data.channel}, consent={data.consent_to_contact})",
    )
    return member


def member_opt_out(*, member: Member, how: str, actor: User | None = None) -> bool:
    """Stop contacting a member, at once: the next bulletin skips them and queued copies of earlier
    ones are not sent (the sender re-checks before each message). True if this call opted them out."""
    now = timezone.now()
    with transaction.atomic():
        changed = Member.objects.filter(pk=member.pk, opted_out_at__isnull=True).update(opted_out_at=now)
        if changed:
            Delivery.objects.filter(member_id=member.pk, state=DeliveryState.QUEUED).update(
                state=DeliveryState.NOT_DELIVERED, last_error="opted out"
            )
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=member, summary=f"member opted out ({how})")
    member.opted_out_at = member.opted_out_at or now
    return bool(changed)


@dataclass(frozen=True)
class ActionInput:
    description: str
    due_at: datetime
    responsible: str = ""


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    network: Network,
    held_on: date,
    place: str,
    attendees: int,
    minutes: str,
    agreements: str,
    actions: list[ActionInput],
) -> Meeting:
    require(access.visible(actor, NetworkPermission.MANAGE, Network.objects.filter(pk=network.pk)).exists())
    if held_on > timezone.localdate():
        raise NetworkError("future", _("A meeting is recorded once it was held."), "held_on")
    meeting = Meeting.objects.create(
        network=network,
        held_on=held_on,
        place=place.strip(),
        attendees=attendees,
        minutes=minutes.strip(),
        agreements=agreements.strip(),
        recorded_by=actor,
    )
    FollowUpAction.objects.bulk_create(
        FollowUpAction(
            meeting=meeting,
            network=network,
            description=action.description.strip(),
            responsible=action.responsible.strip(),
            due_at=action.due_at,
        )
        for action in actions
        if action.description.strip()
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=meeting,
        summary=f"meeting of {network.code} on {held_on} with {len(actions)} follow-up actions",
    )
    return meeting


@transaction.atomic
def action_done(*, actor: User, action: FollowUpAction) -> None:
    require(access.visible(actor, NetworkPermission.MANAGE, FollowUpAction.objects.filter(pk=action.pk)).exists())
    if FollowUpAction.objects.filter(pk=action.pk, done_at__isnull=True).update(done_at=timezone.now()):
        audit_record(actor=actor, action=AuditAction.TRANSITION, obj=action, summary="follow-up action done")
