"""Networks, members, threats and bulletins for the tests, built through the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from ruta.alerts import intake
from ruta.alerts.intake import clean_submission
from ruta.alerts.models import Alert, Channel
from ruta.geo.models import Municipality
from ruta.networks import bulletins, services, threats
from ruta.networks.models import ContactChannel, Member, MemberRole, Network, Threat, ThreatType


def place(code: str) -> Municipality:
    return Municipality.objects.select_related("department").get(code=code)


def make_network(
    personas: dict[str, Any],
    *,
    code: str = "red-dc",
    municipality: str = "0801",
    members: int = 2,
    with_reporter: bool = True,
) -> Network:
    """A network with ``members`` consenting e-mail members, the community reporter as a member
    (with her account) and, in Distrito Central, the focal point and the coordinator."""
    network = services.network_create(
        actor=personas["administrator"], code=code, name=f"Red {code}", municipality=place(municipality)
    )
    for number in range(members):
        add_member(personas, network, name=f"Integrante {number}", email=f"m{number}@{code}.example.org")
    if not with_reporter:
        return network
    add_member(
        personas,
        network,
        name="Rosa Red Comunitaria",
        email="rosa@example.org",
        user=personas["community_reporter"],
    )
    return network


def add_member(
    personas: dict[str, Any],
    network: Network,
    *,
    name: str = "Integrante",
    channel: str = ContactChannel.EMAIL,
    email: str = "",
    phone: str = "",
    consent: bool = True,
    role: str = MemberRole.MEMBER,
    user: Any = None,
) -> Member:
    return services.member_add(
        actor=personas["administrator"],
        network=network,
        data=services.MemberInput(
            name=name,
            role=role,
            channel=channel,
            email=email,
            phone=phone,
            consent_to_contact=consent,
            user=user,
        ),
    )


def threat_type(code: str = "venue") -> ThreatType:
    return ThreatType.objects.get(code=code)


def make_threat(
    personas: dict[str, Any],
    *,
    municipality: str = "0801",
    reporter: str = "community_reporter",
    kind: str = "venue",
    reported_at: datetime | None = None,
) -> Threat:
    return threats.threat_report(
        actor=personas[reporter],
        data=threats.ThreatInput(
            threat_type=threat_type(kind),
            title="Bar cerca de la terminal",
            description="Ofrecen trabajo de mesera a adolescentes; llegan buses de noche.",
            municipality=place(municipality),
        ),
        reported_at=reported_at,
    )


def verified_threat(personas: dict[str, Any], **kwargs: Any) -> Threat:
    threat = make_threat(personas, **kwargs)
    return threats.threat_decide(actor=personas["municipal_focal_point"], threat=threat, decision="verify")


def make_alert(
    municipality: str = "0801", *, signals: list[str] | None = None, now: bool = False, **extra: Any
) -> Alert:
    data = clean_submission(
        {
            "narrative": "Una adolescente trabaja de noche en un bar y no la dejan salir.",
            "municipality": municipality,
            "signals": signals or ["S05"],
            "happening_now": now,
            "persons": [{"age": 15, "age_group": "child", "sex": "female"}],
        }
    )
    return intake.alert_submit(actor=None, data=data, channel=Channel.PUBLIC_WEB, **extra).alert


def send_bulletin(personas: dict[str, Any], network: Network, text: str = "Cuidado con ofertas de empleo.") -> Any:
    return bulletins.bulletin_send(
        actor=personas["municipal_focal_point"], network=network, kind="recruitment_pattern", text=text
    )


def now() -> datetime:
    return timezone.now()
