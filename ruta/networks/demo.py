"""Demo local networks: Distrito Central (0801) and La Ceiba (0101) with members, a meeting with
follow-up actions, threats (some verified), illustrative vulnerability figures with their source,
and a sent bulletin with its deliveries. Fictional people and addresses; idempotent; every row marked
as demonstration data so statistics leave it out."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.core.references import next_reference
from ruta.geo.models import Municipality
from ruta.networks import services, threats
from ruta.networks.bulletins import bulletin_send
from ruta.networks.models import (
    THREAT_REFERENCE_PREFIX,
    Bulletin,
    ContactChannel,
    Delivery,
    DeliveryState,
    MemberRole,
    Network,
    RiskFactor,
    Threat,
    ThreatStatus,
    ThreatType,
    VulnerabilityValue,
)

ILLUSTRATIVE_SOURCE = "Datos ilustrativos para la demostración — no son cifras oficiales"
# (municipality, emigration %, school dropout %): invented, in plausible ranges.
VULNERABILITY = [("0801", "6.5", "11.0"), ("0101", "9.0", "14.5"), ("0501", "8.0", "12.0"), ("0301", "12.5", "19.0")]


def _place(code: str) -> Municipality:
    return Municipality.objects.select_related("department").get(code=code)


def _member(admin: Any, network: Network, name: str, role: str, channel: str, **contact: Any) -> None:
    services.member_add(
        actor=admin,
        network=network,
        data=services.MemberInput(
            name=name, role=role, channel=channel, consent_to_contact=contact.pop("consent", True), **contact
        ),
    )


def _distrito_central(users: dict[str, Any]) -> Network:
    admin = users["administrator"]
    network = services.network_create(
        actor=admin, code="red-distrito-central", name="Red Local del Distrito Central", municipality=_place("0801")
    )
    amdc = services.organisation_add(
        actor=admin, network=network, name="Alcaldía Municipal del Distrito Central", institution=None
    )
    for name in ("Casa Alianza", "Parroquia San Martín de Porres"):
        services.organisation_add(actor=admin, network=network, name=name, institution=None)
    coordinator, focal, reporter = (
        users["network_coordinator"],
        users["municipal_focal_point"],
        users["community_reporter"],
    )
    _member(
        admin,
        network,
        coordinator.get_full_name(),
        MemberRole.COORDINATOR,
        ContactChannel.EMAIL,
        email=coordinator.email,
        user=coordinator,
        organisation=amdc,
    )
    _member(
        admin,
        network,
        focal.get_full_name(),
        MemberRole.FOCAL_POINT,
        ContactChannel.EMAIL,
        email=focal.email,
        user=focal,
        organisation=amdc,
    )
    _member(
        admin,
        network,
        reporter.get_full_name(),
        MemberRole.MEMBER,
        ContactChannel.WHATSAPP,
        phone="+50499990001",
        email=reporter.email,
        user=reporter,
    )
    _member(admin, network, "Doris Alvarado", MemberRole.MEMBER, ContactChannel.SMS, phone="+50499990002")
    _member(admin, network, "Julio Cáceres", MemberRole.MEMBER, ContactChannel.EMAIL, email="julio.caceres@example.org")
    _member(
        admin, network, "Marleny Osorto", MemberRole.MEMBER, ContactChannel.SMS, phone="+50499990003", consent=False
    )
    services.meeting_record(
        actor=coordinator,
        network=network,
        held_on=timezone.localdate() - timedelta(days=12),
        place="Salón de sesiones de la Alcaldía",
        attendees=14,
        minutes="Se revisaron las amenazas reportadas en la zona de la terminal y los anuncios de empleo en redes.",
        agreements="Coordinar con la Policía una visita a la terminal; difundir el boletín sobre ofertas falsas.",
        actions=[
            services.ActionInput(
                "Visita coordinada a la terminal de buses",
                timezone.now() + timedelta(days=5),
                "Alcaldía Municipal del Distrito Central",
            ),
            services.ActionInput(
                "Charla en el instituto sobre ofertas de empleo falsas",
                timezone.now() - timedelta(days=2),
                "Casa Alianza",
            ),
        ],
    )
    return network


def _threats(users: dict[str, Any]) -> None:
    reporter, focal = users["community_reporter"], users["municipal_focal_point"]
    types = {t.code: t for t in ThreatType.objects.all()}
    dc = _place("0801")
    reported = [
        ("bus_terminal", "Terminal de buses de Comayagüela", "Hombres ofrecen trabajo en otra ciudad a jóvenes que "
         "llegan solas; pagan el pasaje en el momento.", True),
        ("online_offer", "Anuncio de 'edecanes' en redes sociales", "Oferta de empleo con salario muy alto, viaje "
         "pagado y sin experiencia; piden fotos de cuerpo entero.", True),
        ("venue", "Bar junto al mercado", "Se ve a adolescentes atendiendo mesas de noche.", False),
    ]  # fmt: skip
    for code, title, description, verify in reported:
        threat = threats.threat_report(
            actor=reporter,
            data=threats.ThreatInput(threat_type=types[code], title=title, description=description, municipality=dc),
        )
        if verify:
            threats.threat_decide(actor=focal, threat=threat, decision="verify", note="Confirmado en la reunión.")
    # La Ceiba's members have no demo account: its register is written directly.
    ceiba = _place("0101")
    for code, title, description in [
        (
            "farm",
            "Finca de palma en la carretera a Tela",
            "Jornaleros cuentan que les retienen el pago y los documentos.",
        ),
        ("route", "Ruta de lanchas hacia las islas", "Traslado nocturno de muchachas con 'contrato' en hoteles."),
    ]:
        Threat.objects.create(
            reference=next_reference(THREAT_REFERENCE_PREFIX),
            network=Network.objects.get(code="red-la-ceiba"),
            threat_type=types[code],
            title=title,
            description=description,
            municipality=ceiba,
            department_id=ceiba.department_id,
            status=ThreatStatus.VERIFIED,
            reported_by=users["duty_officer"],
            reported_at=timezone.now() - timedelta(days=20),
            decided_by=users["duty_officer"],
            decided_at=timezone.now() - timedelta(days=18),
            is_synthetic=True,
        )
    Threat.objects.filter(municipality=dc).update(is_synthetic=True)


def _vulnerability(users: dict[str, Any]) -> None:
    factors = {f.code: f for f in RiskFactor.objects.filter(source=RiskFactor.Source.VULNERABILITY)}
    year = timezone.localdate().year - 1
    for code, emigration, dropout in VULNERABILITY:
        for factor, value in (("emigration", emigration), ("school_dropout", dropout)):
            if factor in factors:
                VulnerabilityValue.objects.update_or_create(
                    factor=factors[factor],
                    municipality=_place(code),
                    year=year,
                    defaults={
                        "value": Decimal(value),
                        "source": ILLUSTRATIVE_SOURCE,
                        "is_illustrative": True,
                        "imported_by": users["administrator"],
                    },
                )


def _bulletin(users: dict[str, Any], network: Network) -> None:
    bulletin = bulletin_send(
        actor=users["municipal_focal_point"],
        network=network,
        kind="recruitment_pattern",
        text=(
            "Alerta: circulan en redes ofertas de empleo como 'edecán' con viaje pagado y salario alto. "
            "No envíe fotos ni documentos; consulte a la línea 145."
        ),
    )
    Bulletin.objects.filter(pk=bulletin.pk).update(is_synthetic=True, sent_at=timezone.now() - timedelta(days=3))
    # Shown as already delivered: the demo never sends real messages.
    deliveries = Delivery.objects.filter(bulletin=bulletin).order_by("pk")
    sent_at = timezone.now() - timedelta(days=3)
    deliveries.update(state=DeliveryState.SENT, sent_at=sent_at, attempts=1)
    for delivery in deliveries[:2]:
        Delivery.objects.filter(pk=delivery.pk).update(acknowledged_at=sent_at + timedelta(hours=2))
    last = deliveries.last()
    if last is not None:
        Delivery.objects.filter(pk=last.pk).update(
            state=DeliveryState.NOT_DELIVERED, sent_at=None, attempts=5, last_error="RapidPro answered 500"
        )


@transaction.atomic
def seed(users: dict[str, Any]) -> dict[str, int]:
    if Network.objects.filter(code="red-distrito-central").exists():
        return {"networks": Network.objects.count()}
    admin = users["administrator"]
    network = _distrito_central(users)
    ceiba = services.network_create(
        actor=admin, code="red-la-ceiba", name="Comité Local de La Ceiba", municipality=_place("0101")
    )
    services.organisation_add(actor=admin, network=ceiba, name="Alcaldía Municipal de La Ceiba", institution=None)
    _member(
        admin, ceiba, "Karla Zúniga", MemberRole.COORDINATOR, ContactChannel.EMAIL, email="karla.zuniga@example.org"
    )
    _member(admin, ceiba, "Óscar Guity", MemberRole.FOCAL_POINT, ContactChannel.SMS, phone="+50499990010")
    _member(admin, ceiba, "Nelly Martínez", MemberRole.MEMBER, ContactChannel.WHATSAPP, phone="+50499990011")
    Network.objects.filter(pk__in=[network.pk, ceiba.pk]).update(is_synthetic=True)
    _threats(users)
    _vulnerability(users)
    _bulletin(users, network)
    return {"networks": 2, "threats": Threat.objects.count(), "bulletins": Bulletin.objects.count()}
