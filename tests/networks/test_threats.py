"""The threat register: places, never persons; territory; the focal point's decisions; links."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from ruta.networks.models import Threat, ThreatStatus
from ruta.networks.names import check_for_names, looks_like_a_name
from ruta.networks.rules import NetworkError
from ruta.networks.selectors import threats_for
from ruta.networks.threats import NAME_STILL_THERE, NAME_WARNING, ThreatInput, threat_decide, threat_link, threat_report
from ruta.persons.services import IdentityInput, person_register
from tests.networks.factories import make_alert, make_network, make_threat, place, threat_type

pytestmark = pytest.mark.django_db


def _report(
    personas: dict[str, Any], description: str, *, not_a_name: bool = False, who: str = "community_reporter"
) -> Threat:
    return threat_report(
        actor=personas[who],
        data=ThreatInput(
            threat_type=threat_type("venue"),
            title="Cantina del mercado",
            description=description,
            municipality=place("0801"),
            not_a_name=not_a_name,
        ),
    )


def test_heuristic_name_is_warned_and_can_be_confirmed_away(personas: dict[str, Any]) -> None:
    text = "Vimos a Juana Pérez Mejía entrar con un hombre mayor."
    with pytest.raises(NetworkError) as refused:
        _report(personas, text)
    assert refused.value.code == "person_name" and refused.value.message == NAME_WARNING
    assert "Juana" not in str(refused.value.message)
    assert not Threat.objects.exists()
    threat = _report(personas, "Bar Las Palmeras, frente a la Terminal San Pablo", not_a_name=True)
    assert not threat.name_warning_confirmed  # nothing was flagged there: no confirmation needed
    threat = _report(personas, text, not_a_name=True)
    assert threat.name_warning_confirmed


def test_registry_name_cannot_be_confirmed_away_and_is_never_echoed(personas: dict[str, Any]) -> None:
    person_register(
        actor=personas["caseworker"],
        institution=personas["caseworker"].memberships.first().institution,
        identity=IdentityInput(given_names="Yessenia Marisol", family_names="Banegas Zelaya"),
    )
    text = "la muchacha yessenia banegas trabaja ahí de noche"  # lower case: the heuristic misses it
    assert not looks_like_a_name(text)
    assert check_for_names(text).registry
    with pytest.raises(NetworkError) as refused:
        _report(personas, text)
    assert refused.value.message == NAME_WARNING
    with pytest.raises(NetworkError) as still:
        _report(personas, text, not_a_name=True)
    assert still.value.message == NAME_STILL_THERE
    for message in (refused.value.message, still.value.message):
        assert "yessenia" not in str(message).lower() and "banegas" not in str(message).lower()
    assert not Threat.objects.exists()
    assert not check_for_names("Un bar de Zelaya Banegas y Compañía").registry  # other words, other order


def test_places_and_venues_are_not_taken_for_names() -> None:
    assert not looks_like_a_name("Bar La Estrella en Choloma, cerca de la Terminal de buses")
    assert not looks_like_a_name("Anuncio en Facebook: se buscan meseras para San Pedro Sula")
    assert looks_like_a_name("Se llevaron a María de los Ángeles Reyes")


def test_members_report_only_in_their_territory(personas: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        make_threat(personas, municipality="0101", reporter="network_coordinator")
    with pytest.raises(PermissionDenied):
        make_threat(personas, municipality="0101", reporter="community_reporter")
    assert make_threat(personas, municipality="0801", reporter="network_coordinator").department.code == "08"


def test_threats_are_need_to_know_by_territory(personas: dict[str, Any]) -> None:
    ours = make_threat(personas)
    coordinator_own = make_threat(personas, municipality="0803", reporter="network_coordinator")
    theirs = Threat.objects.create(
        reference="AM-TEST-1",
        threat_type=threat_type("farm"),
        title="Finca de palma",
        description="Jornaleros sin pago.",
        municipality=place("0101"),
        department=place("0101").department,
        reported_by=personas["duty_officer"],
        reported_at=ours.reported_at,
    )
    assert set(threats_for(personas["network_coordinator"])) == {ours, coordinator_own}
    assert set(threats_for(personas["municipal_focal_point"])) == {ours, coordinator_own}
    assert set(threats_for(personas["community_reporter"])) == {ours}  # her own reports only
    assert set(threats_for(personas["duty_officer"])) == {ours, coordinator_own, theirs}
    assert not threats_for(personas["analyst"]).exists()
    assert not threats_for(personas["eri_responder"]).exists()


def test_focal_point_decides_once(personas: dict[str, Any]) -> None:
    threat = make_threat(personas)
    with pytest.raises(PermissionDenied):
        threat_decide(actor=personas["network_coordinator"], threat=threat, decision="verify")
    threat = threat_decide(actor=personas["municipal_focal_point"], threat=threat, decision="verify", note="Visto")
    assert threat.status == ThreatStatus.VERIFIED and threat.decided_by == personas["municipal_focal_point"]
    with pytest.raises(NetworkError):
        threat_decide(actor=personas["municipal_focal_point"], threat=threat, decision="dismiss")
    threat = threat_decide(actor=personas["municipal_focal_point"], threat=threat, decision="close")
    assert threat.status == ThreatStatus.CLOSED and threat.closed_at is not None


def test_link_only_alerts_of_the_threat_municipality(personas: dict[str, Any]) -> None:
    make_network(personas)
    threat = make_threat(personas)
    here, elsewhere = make_alert("0801"), make_alert("0101")
    threat_link(actor=personas["municipal_focal_point"], threat=threat, reference=here.reference)
    with pytest.raises(NetworkError) as refused:
        threat_link(actor=personas["municipal_focal_point"], threat=threat, reference=elsewhere.reference)
    assert refused.value.code == "unknown_reference"
    assert list(threat.alerts.all()) == [here]
    assert threat.network is not None and threat.network.code == "red-dc"


def test_coordinates_must_be_in_honduras(personas: dict[str, Any]) -> None:
    from decimal import Decimal

    with pytest.raises(NetworkError):
        threat_report(
            actor=personas["community_reporter"],
            data=ThreatInput(
                threat_type=threat_type("route"),
                title="Ruta de buses",
                description="Traslado nocturno",
                municipality=place("0801"),
                latitude=Decimal("40.1"),
                longitude=Decimal("-87.2"),
            ),
        )
