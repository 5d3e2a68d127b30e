"""Bulletins out: one delivery per member, each sent exactly once — under retries, errors,
time-outs and a killed worker — through e-mail and a stand-in RapidPro on a real socket."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from ruta.networks import bulletins, rapidpro
from ruta.networks.bulletins import LEASE, MAX_ATTEMPTS, claim, send_due
from ruta.networks.models import Bulletin, Delivery, DeliveryState, RapidProChannel
from ruta.networks.rules import NetworkError
from ruta.networks.services import member_opt_out
from tests.networks.factories import add_member, make_network, now, send_bulletin
from tests.networks.rapidpro_standin import STANDIN_CREDENTIAL, rapidpro_standin

pytestmark = pytest.mark.django_db(transaction=True)


def _sms_channel(url: str, token: str = STANDIN_CREDENTIAL) -> RapidProChannel:
    return RapidProChannel.objects.create(channel="sms", base_url=url, token=token)


def _states(bulletin: Bulletin) -> list[str]:
    return list(Delivery.objects.filter(bulletin=bulletin).order_by("pk").values_list("state", flat=True))


def test_email_bulletin_reaches_each_member_once(personas: dict[str, Any]) -> None:
    network = make_network(personas, members=2)
    bulletin = send_bulletin(personas, network, text="Ofertas falsas de empleo en maquilas.")
    assert Delivery.objects.filter(bulletin=bulletin).count() == 3  # two members and Rosa, created before sending
    assert mail.outbox == []

    assert send_due(worker="w1") == 3
    assert send_due(worker="w2") == 0  # nothing due any more: a second worker sends nothing
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["m0@red-dc.example.org", "m1@red-dc.example.org", "rosa@example.org"]
    )
    assert _states(bulletin) == [DeliveryState.SENT] * 3
    body = mail.outbox[0].body
    assert "Ofertas falsas de empleo en maquilas." in body
    assert "/n/ack/" in body and "/n/stop/" in body


def test_sms_goes_through_rapidpro_broadcasts(personas: dict[str, Any]) -> None:
    network = make_network(personas, members=0)
    member = add_member(personas, network, name="Lidia", channel="sms", phone="9999-8888")
    with rapidpro_standin() as server:
        _sms_channel(server.url)
        bulletin = send_bulletin(personas, network, text="Desaparecida una niña de 12 años en la colonia Kennedy.")
        send_due(worker="w1")
    sms = list(server.received)
    assert len(sms) == 1
    assert sms[0]["path"] == "/api/v2/broadcasts.json"
    assert sms[0]["auth"] == "Token secret-token"
    assert sms[0]["body"]["urns"] == ["tel:+50499998888"]
    assert sms[0]["body"]["text"].startswith("Desaparecida una niña de 12 años")
    delivery = Delivery.objects.get(bulletin=bulletin, member=member)
    assert delivery.state == DeliveryState.SENT and delivery.provider_id == str(server.next_id)


def test_rapidpro_error_is_retried_with_backoff_then_not_delivered(personas: dict[str, Any]) -> None:
    network = make_network(personas, members=0)
    member = add_member(personas, network, name="Lidia", channel="whatsapp", phone="+504 9999 7777")
    RapidProChannel.objects.create(channel="whatsapp", base_url="http://unused.invalid", token="t")
    with rapidpro_standin(token="t") as server:
        RapidProChannel.objects.filter(channel="whatsapp").update(base_url=server.url)
        server.mode = "error"
        bulletin = send_bulletin(personas, network)
        moment = now()
        send_due(worker="w1", now=moment)
        delivery = Delivery.objects.get(bulletin=bulletin, member=member)
        assert delivery.state == DeliveryState.QUEUED and delivery.attempts == 1
        assert delivery.last_error == "RapidPro answered 500"
        first_wait = delivery.next_attempt_at - moment
        assert timedelta(seconds=29) < first_wait <= timedelta(seconds=31)
        send_due(worker="w1", now=moment)  # not due yet: no new request
        assert len(server.received) == 1
        for _ in range(MAX_ATTEMPTS + 3):
            moment += timedelta(hours=1)
            send_due(worker="w1", now=moment)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.NOT_DELIVERED
    assert len(server.received) == MAX_ATTEMPTS  # tried exactly N times, never more
    assert server.received[0]["body"]["urns"] == ["whatsapp:50499997777"]


def test_time_out_counts_as_a_failure_and_is_retried(personas: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(rapidpro, "TIMEOUT", 0.3)
    network = make_network(personas, members=0)
    member = add_member(personas, network, name="Lidia", channel="sms", phone="+50499996666")
    with rapidpro_standin() as server:
        _sms_channel(server.url)
        server.mode, server.delay = "slow", 1.0
        bulletin = send_bulletin(personas, network)
        send_due(worker="w1")
        delivery = Delivery.objects.get(bulletin=bulletin, member=member)
        assert delivery.state == DeliveryState.QUEUED
        assert delivery.last_error.startswith("RapidPro unreachable")
        server.mode = "ok"
        send_due(worker="w1", now=now() + timedelta(minutes=5))
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2


def test_killed_worker_never_sends_twice(personas: dict[str, Any]) -> None:
    network = make_network(personas, members=0)
    member = add_member(personas, network, name="Lidia", channel="sms", phone="+50499995555")
    with rapidpro_standin() as server:
        _sms_channel(server.url)
        bulletin = send_bulletin(personas, network)
        delivery = Delivery.objects.get(bulletin=bulletin, member=member)
        moment = now()
        # A worker claims the delivery and dies before recording the outcome (it may have sent it).
        assert claim(delivery.pk, worker="dead", now=moment)
        assert not claim(delivery.pk, worker="other", now=moment)  # the claim is taken: nobody else wins it
        send_due(worker="w2", now=moment + timedelta(seconds=10))  # its lease still runs: left alone
        assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.SENDING
        send_due(worker="w2", now=moment + LEASE + timedelta(seconds=1))
        send_due(worker="w3", now=moment + LEASE + timedelta(hours=2))
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.UNCONFIRMED
    assert server.received == []  # never sent again


def test_channel_not_configured_is_not_delivered_at_once(personas: dict[str, Any]) -> None:
    network = make_network(personas, members=0)
    member = add_member(personas, network, name="Lidia", channel="sms", phone="+50499994444")
    bulletin = send_bulletin(personas, network)
    send_due(worker="w1")
    delivery = Delivery.objects.get(bulletin=bulletin, member=member)
    assert delivery.state == DeliveryState.NOT_DELIVERED and delivery.attempts == 1


def test_opt_out_is_honoured_at_once(personas: dict[str, Any]) -> None:
    network = make_network(personas, members=2)
    first = send_bulletin(personas, network)
    leaving = Delivery.objects.filter(bulletin=first).select_related("member").first().member
    assert member_opt_out(member=leaving, how="test")
    send_due(worker="w1")
    assert leaving.email not in [message.to[0] for message in mail.outbox]  # queued copy not sent
    assert Delivery.objects.get(bulletin=first, member=leaving).state == DeliveryState.NOT_DELIVERED
    second = send_bulletin(personas, network)
    assert not Delivery.objects.filter(bulletin=second, member=leaving).exists()
    assert Delivery.objects.filter(bulletin=second).count() == 2


def test_empty_or_opted_out_audience_is_refused(personas: dict[str, Any]) -> None:
    network = make_network(personas, members=0)
    Delivery.objects.all().delete()
    for member in network.members.all():
        member_opt_out(member=member, how="test")
    add_member(personas, network, name="Sin consentimiento", email="x@example.org", consent=False)
    with pytest.raises(NetworkError) as refused:
        bulletins.bulletin_send(
            actor=personas["municipal_focal_point"], network=network, kind="venue", text="Cuidado con el bar."
        )
    assert refused.value.code == "empty_audience"
    assert not Bulletin.objects.exists()


def test_channel_is_configured_by_command_with_the_token_from_stdin(monkeypatch: Any) -> None:
    import io

    from django.core.management import call_command

    monkeypatch.setattr("sys.stdin", io.StringIO("tok-123\n"))
    call_command("rapidpro_channel", "sms", "https://rapidpro.example.org", stdout=io.StringIO())
    channel = RapidProChannel.objects.get(channel="sms")
    assert channel.token == "tok-123" and channel.is_active
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM networks_rapidprochannel")
        assert "tok-123" not in cursor.fetchone()[0]  # encrypted at rest
