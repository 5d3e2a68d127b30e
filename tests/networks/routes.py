"""Permission matrix entries for every page of the local networks.

The world: the Distrito Central network (0801, department 08) with e-mail members and the community
reporter (Rosa) as a member; a threat she reported there; a bulletin the focal point sent. The
coordinator and the focal point act in department 08; the commission (duty officer, administrator)
everywhere; analysts see the aggregated risk picture only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from ruta.alerts.models import MessagingChannel
from ruta.alerts.rapidpro import hash_secret
from ruta.demo.personas import PERSONAS
from ruta.networks import services
from ruta.networks.links import acknowledge_url, opt_out_url
from ruta.networks.models import Delivery
from ruta.policy.permissions import Permission, PlatformPermission
from ruta.policy.roles import ROLES
from tests.access.harness import Route
from tests.networks.factories import add_member, make_network, make_threat, place, send_bulletin, threat_type


def holders_of(*permissions: Permission) -> set[str]:
    """Personas whose role grants any of ``permissions`` (pages guarded by the permission alone)."""
    return {p.key for p in PERSONAS if any(permission in ROLES[p.role].grants for permission in permissions)}


VIEWERS = {"network_coordinator", "municipal_focal_point", "community_reporter", "duty_officer", "administrator"}
MANAGERS = {"network_coordinator", "administrator"}
REPORTERS = {"network_coordinator", "municipal_focal_point", "community_reporter"}
SENDERS = {"network_coordinator", "municipal_focal_point"}
BULLETIN_VIEWERS = {"network_coordinator", "municipal_focal_point", "duty_officer", "administrator"}
RISK_VIEWERS = VIEWERS | {"analyst"}
COMMISSION = {"duty_officer", "administrator"}
REDIRECT = frozenset({302})


def _network(personas: dict[str, Any]) -> dict[str, Any]:
    return {"network": make_network(personas)}


def _other_network(personas: dict[str, Any]) -> dict[str, Any]:
    return {"network": make_network(personas, code="red-ceiba", municipality="0101", with_reporter=False)}


def _threat(personas: dict[str, Any]) -> dict[str, Any]:
    make_network(personas)
    return {"threat": make_threat(personas)}


def _bulletin(personas: dict[str, Any]) -> dict[str, Any]:
    network = make_network(personas)
    bulletin = send_bulletin(personas, network)
    return {"network": network, "bulletin": bulletin, "delivery": Delivery.objects.filter(bulletin=bulletin).first()}


def _meeting(personas: dict[str, Any]) -> dict[str, Any]:
    network = make_network(personas)
    meeting = services.meeting_record(
        actor=personas["administrator"],
        network=network,
        held_on=timezone.localdate(),
        place="Alcaldía",
        attendees=12,
        minutes="Revisión de amenazas.",
        agreements="Visitar la terminal.",
        actions=[services.ActionInput("Visitar la terminal", timezone.now() + timedelta(days=7), "Alcaldía")],
    )
    return {"network": network, "action": meeting.actions.get()}


STOP_SECRET = "stop-secret-for-tests"


def _stop_world(personas: dict[str, Any]) -> dict[str, Any]:
    network = make_network(personas, members=0)
    add_member(personas, network, name="Lidia", channel="sms", phone="+50499993333")
    MessagingChannel.objects.create(code="sms-red", name="SMS red", secret_hash=hash_secret(STOP_SECRET))
    return {"network": network}


def code(world: dict[str, Any]) -> dict[str, Any]:
    return {"code": world["network"].code}


def _threat_form(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "threat_type": threat_type("online_offer").pk,
        "title": "Anuncio de trabajo en el extranjero",
        "municipality": place("0801").pk,
        "description": "Anuncio en redes sociales que ofrece empleo de mesera con viaje pagado.",
    }


ROUTES = [
    Route("networks:list", VIEWERS),
    Route("networks:new", MANAGERS),
    Route(
        "networks:new",
        MANAGERS,
        method="POST",
        data=lambda w: {"name": "Red de Comayagüela", "code": "red-comayaguela", "municipality": place("0801").pk},
        ok=REDIRECT,
        label="post",
    ),
    Route("networks:detail", VIEWERS, world=_network, kwargs=code),
    Route("networks:detail", COMMISSION, world=_other_network, kwargs=code, label="other-territory"),
    Route("networks:summary", VIEWERS, world=_network, kwargs=code),
    Route("networks:member-new", MANAGERS, world=_network, kwargs=code),
    Route(
        "networks:member-new",
        MANAGERS,
        method="POST",
        world=_network,
        kwargs=code,
        data=lambda w: {"name": "Nueva integrante", "role": "member", "channel": "sms", "phone": "+504 9999 0000"},
        ok=REDIRECT,
        label="post",
    ),
    Route(
        "networks:member-opt-out",
        MANAGERS,
        method="POST",
        world=_network,
        kwargs=lambda w: {"code": w["network"].code, "member_id": w["network"].members.first().pk},
        ok=REDIRECT,
    ),
    Route("networks:meeting-new", MANAGERS, world=_network, kwargs=code),
    Route(
        "networks:meeting-new",
        MANAGERS,
        method="POST",
        world=_network,
        kwargs=code,
        data=lambda w: {"held_on": timezone.localdate().isoformat(), "attendees": "9", "minutes": "Acta"},
        ok=REDIRECT,
        label="post",
    ),
    Route(
        "networks:action-done",
        MANAGERS,
        method="POST",
        world=_meeting,
        kwargs=lambda w: {"code": w["network"].code, "action_id": w["action"].pk},
        ok=REDIRECT,
    ),
    Route("networks:bulletin-new", SENDERS, world=_network, kwargs=code),
    Route(
        "networks:bulletin-new",
        SENDERS,
        method="POST",
        world=_network,
        kwargs=code,
        data=lambda w: {"kind": "venue", "text": "Eviten el bar junto a la terminal."},
        ok=REDIRECT,
        label="post",
    ),
    Route(
        "networks:bulletin", BULLETIN_VIEWERS, world=_bulletin, kwargs=lambda w: {"reference": w["bulletin"].reference}
    ),
    Route("networks:threats", VIEWERS),
    Route("networks:threat-new", REPORTERS),
    Route("networks:threat-new", REPORTERS, method="POST", data=_threat_form, ok=REDIRECT, label="post"),
    Route("networks:threat", VIEWERS, world=_threat, kwargs=lambda w: {"reference": w["threat"].reference}),
    Route(
        "networks:threat-decide",
        {"municipal_focal_point"},
        method="POST",
        world=_threat,
        kwargs=lambda w: {"reference": w["threat"].reference},
        data=lambda w: {"decision": "verify"},
        ok=REDIRECT,
    ),
    Route(
        "networks:threat-link",
        {"municipal_focal_point"},
        method="POST",
        world=_threat,
        kwargs=lambda w: {"reference": w["threat"].reference},
        data=lambda w: {"reference": "A-0000-000000"},
        ok=REDIRECT,
    ),
    Route("networks:risk", RISK_VIEWERS),
    Route("networks:risk-data", RISK_VIEWERS),
    Route("networks:vulnerability", holders_of(PlatformPermission.CONFIG_MANAGE)),
    Route("networks:vulnerability", holders_of(PlatformPermission.CONFIG_MANAGE), method="POST", label="no file"),
    Route(
        "network_links:acknowledge",
        set(),
        public=True,
        world=_bulletin,
        kwargs=lambda w: {"token": acknowledge_url(w["delivery"].pk).rstrip("/").rsplit("/", 1)[1]},
    ),
    Route(
        "network_links:acknowledge",
        set(),
        method="POST",
        public=True,
        world=_bulletin,
        kwargs=lambda w: {"token": acknowledge_url(w["delivery"].pk).rstrip("/").rsplit("/", 1)[1]},
        label="post",
    ),
    Route(
        "network_links:opt-out",
        set(),
        public=True,
        world=_network,
        kwargs=lambda w: {"token": opt_out_url(w["network"].members.first().pk).rstrip("/").rsplit("/", 1)[1]},
    ),
    Route(
        "network_links:opt-out",
        set(),
        method="POST",
        public=True,
        world=_network,
        kwargs=lambda w: {"token": opt_out_url(w["network"].members.first().pk).rstrip("/").rsplit("/", 1)[1]},
        label="post",
    ),
    Route(
        "network_links:rapidpro-stop",
        set(),
        method="POST",
        public=True,
        json=True,
        world=_stop_world,
        kwargs=lambda w: {"channel": "sms-red"},
        data=lambda w: {"contact": {"urn": "tel:+50499993333"}},
        extra_headers={"HTTP_AUTHORIZATION": f"Token {STOP_SECRET}"},
    ),
]
