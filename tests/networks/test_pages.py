"""The pages as people use them: forms, refusals with a clear message, need-to-know on members."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ruta.networks.links import acknowledge_url, opt_out_url
from ruta.networks.models import Bulletin, Delivery, Member, Threat, VulnerabilityValue
from ruta.networks.services import member_opt_out
from tests.networks.factories import make_network, make_threat, place, send_bulletin, threat_type

pytestmark = pytest.mark.django_db


def test_member_contacts_are_need_to_know(client: Client, login: Any, personas: dict[str, Any]) -> None:
    network = make_network(personas)
    url = reverse("networks:detail", kwargs={"code": network.code})
    login("network_coordinator")
    assert "m0@red-dc.example.org" in client.get(url).content.decode()
    login("community_reporter")
    page = client.get(url).content.decode()
    assert "m0@red-dc.example.org" not in page and "Integrante 0" not in page
    assert "Member: 3" in page  # counts only


def test_threat_form_warns_about_a_name_without_echoing_it(client: Client, login: Any) -> None:
    login("community_reporter")
    data = {
        "threat_type": threat_type("venue").pk,
        "title": "Cantina La Cueva",
        "municipality": place("0801").pk,
        "description": "El dueño Rigoberto Funes Lagos recluta muchachas.",
    }
    response = client.post(reverse("networks:threat-new"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "seems to name a person" in page
    assert 'name="not_a_name"' in page and 'type="checkbox"' in page
    assert "Rigoberto Funes Lagos recluta" in page  # the member's own text stays in the form to edit it
    assert not Threat.objects.exists()
    data["description"] = "El dueño de la cantina recluta muchachas."
    assert client.post(reverse("networks:threat-new"), data).status_code == 302
    assert Threat.objects.get().description == "El dueño de la cantina recluta muchachas."


def test_bulletin_to_an_opted_out_audience_is_refused_clearly(
    client: Client, login: Any, personas: dict[str, Any]
) -> None:
    network = make_network(personas, members=0)
    for member in Member.objects.filter(network=network):
        member_opt_out(member=member, how="test")
    login("municipal_focal_point")
    response = client.post(
        reverse("networks:bulletin-new", kwargs={"code": network.code}), {"kind": "venue", "text": "Cuidado"}
    )
    assert response.status_code == 200
    assert "Nobody in this network can receive a bulletin" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_signed_links_acknowledge_and_opt_out(client: Client, personas: dict[str, Any]) -> None:
    network = make_network(personas)
    bulletin = send_bulletin(personas, network)
    delivery = Delivery.objects.filter(bulletin=bulletin).first()
    ack = acknowledge_url(delivery.pk)
    assert client.get(ack).status_code == 200
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is None  # a link scanner's GET changes nothing
    assert client.post(ack).status_code == 200
    delivery.refresh_from_db()
    assert delivery.acknowledged_at is not None
    assert client.post(ack[:-4] + "xyz/").status_code == 404  # tampered
    stop = opt_out_url(delivery.member_id)
    assert client.post(stop).status_code == 200
    assert Member.objects.get(pk=delivery.member_id).opted_out_at is not None
    second = send_bulletin(personas, network)
    assert not Delivery.objects.filter(bulletin=second, member_id=delivery.member_id).exists()


def test_summary_suppresses_small_counts(client: Client, login: Any, personas: dict[str, Any]) -> None:
    network = make_network(personas)
    for _ in range(11):
        make_threat(personas)
    make_threat(personas)  # 12 threats reported this month; 0 verified
    login("network_coordinator")
    page = client.get(reverse("networks:summary", kwargs={"code": network.code})).content.decode()
    assert "<td>12</td>" in page
    assert "<td>&lt;11</td>" in page  # verified: 0, shown suppressed


def test_vulnerability_import_is_all_or_nothing(client: Client, login: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    login("administrator")
    good = "factor,municipality,year,value,source,illustrative\nemigration,0801,2025,7.5,INE (ilustrativo),yes\n"
    bad = good + "school_dropout,9999,2025,x,,no\n"
    url = reverse("networks:vulnerability")
    response = client.post(url, {"file": SimpleUploadedFile("v.csv", bad.encode())})
    page = response.content.decode()
    assert "Line 3, column municipality" in page and "Line 3, column value" in page
    assert not VulnerabilityValue.objects.exists()
    assert client.post(url, {"file": SimpleUploadedFile("v.csv", good.encode())}).status_code == 302
    value = VulnerabilityValue.objects.get()
    assert value.is_illustrative and value.source == "INE (ilustrativo)"


def test_risk_data_is_scoped_to_the_territory(client: Client, login: Any, personas: dict[str, Any]) -> None:
    make_threat(personas)
    login("network_coordinator")
    body = client.get(reverse("networks:risk-data")).json()
    assert set(body["departments"]) == {"08"}
    login("analyst")
    assert len(client.get(reverse("networks:risk-data")).json()["departments"]) == 18


def test_stop_keyword_through_rapidpro_opts_the_number_out(client: Client, personas: dict[str, Any]) -> None:
    from ruta.alerts.models import MessagingChannel
    from ruta.alerts.rapidpro import hash_secret
    from tests.networks.factories import add_member

    network = make_network(personas, members=0)
    member = add_member(personas, network, name="Lidia", channel="whatsapp", phone="+50499993333")
    MessagingChannel.objects.create(code="wa-red", name="WhatsApp red", secret_hash=hash_secret("s3cret"))
    url = reverse("network_links:rapidpro-stop", kwargs={"channel": "wa-red"})
    body = '{"contact": {"urn": "whatsapp:50499993333"}, "results": {}}'
    assert client.post(url, body, content_type="application/json").status_code == 401
    assert Member.objects.get(pk=member.pk).opted_out_at is None
    response = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION="Token s3cret")
    assert response.status_code == 200
    assert Member.objects.get(pk=member.pk).opted_out_at is not None
    unknown = '{"contact": {"urn": "tel:+50411112222"}}'
    assert client.post(url, unknown, content_type="application/json", HTTP_AUTHORIZATION="Token s3cret").json() == {
        "status": "ok"
    }
