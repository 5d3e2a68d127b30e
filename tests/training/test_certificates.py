"""Certificate rules (data per course), the PDF, the public verification page and revocation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ruta.audit.models import AuditEvent
from ruta.training import services, verify
from ruta.training.models import Certificate, CertificateStatus
from ruta.training.services import TrainingError
from tests.training.factories import enrol, make_session, scored_enrolment


@pytest.mark.django_db
def test_eligible_participant_gets_a_certificate(personas: dict[str, Any]) -> None:
    enrolment = scored_enrolment(personas, right=3)
    certificate = services.certificate_issue(actor=personas["trainer"], enrolment=enrolment)
    assert certificate.participant_name == personas["labour_inspector"].get_full_name()
    assert certificate.hours == Decimal("2.0")  # the course's one module of 2 hours, spread over two days
    assert len(certificate.code) >= 22  # 128 random bits
    # Issuing again returns the same certificate.
    assert services.certificate_issue(actor=personas["trainer"], enrolment=enrolment).pk == certificate.pk


@pytest.mark.django_db
def test_low_score_refused_with_the_reason(personas: dict[str, Any]) -> None:
    enrolment = scored_enrolment(personas, right=2)  # 66.67 % < 70 %
    with pytest.raises(TrainingError) as refused:
        services.certificate_issue(actor=personas["trainer"], enrolment=enrolment)
    assert "66.67 % is below the required 70.00 %" in str(refused.value.message)
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_rules_are_data(personas: dict[str, Any]) -> None:
    enrolment = scored_enrolment(personas, right=2, min_post_score=60)
    assert services.certificate_issue(actor=personas["trainer"], enrolment=enrolment)


@pytest.mark.django_db
def test_missed_days_refused(personas: dict[str, Any]) -> None:
    enrolment = scored_enrolment(personas, right=3, attend="first day")
    check = services.eligibility(enrolment)
    assert (check.attended_days, check.session_days) == (1, 2)
    with pytest.raises(TrainingError, match="attended 1 of 2 days; the course requires 80 %"):
        services.certificate_issue(actor=personas["trainer"], enrolment=enrolment)


@pytest.mark.django_db
def test_no_certificate_before_the_session_ends(personas: dict[str, Any]) -> None:
    session = make_session(personas, starts_on=timezone.localdate())
    enrolment = enrol(personas, session)
    with pytest.raises(TrainingError, match="once the session has ended"):
        services.certificate_issue(actor=personas["trainer"], enrolment=enrolment)


@pytest.mark.django_db
def test_pdf_for_the_participant_and_not_for_others(personas: dict[str, Any], client: Client) -> None:
    certificate = services.certificate_issue(actor=personas["trainer"], enrolment=scored_enrolment(personas, right=3))
    url = reverse("training:certificate_pdf", kwargs={"pk": certificate.pk})
    client.force_login(personas["labour_inspector"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    client.force_login(personas["caseworker"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_public_page_shows_only_name_course_date_status(personas: dict[str, Any], client: Client) -> None:
    enrolment = scored_enrolment(personas, right=3)
    certificate = services.certificate_issue(actor=personas["trainer"], enrolment=enrolment)
    response = client.get(reverse("verify:certificate", kwargs={"code": certificate.code}))
    assert response.status_code == 200
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    assert personas["labour_inspector"].get_full_name() in main
    assert certificate.course_title in main and "Valid" in main
    inspector = personas["labour_inspector"]
    for secret in (
        inspector.username,
        inspector.email,
        "100.00",
        "Tegucigalpa",
        "ong-fortalece",
        str(enrolment.institution),
    ):
        assert secret not in main, secret
    assert set(response.context["found"]) == {"participant_name", "course_title", "completed_on", "status"}


@pytest.mark.django_db
def test_revocation_is_audited_and_shown(personas: dict[str, Any], client: Client) -> None:
    certificate = services.certificate_issue(actor=personas["trainer"], enrolment=scored_enrolment(personas, right=3))
    with pytest.raises(TrainingError):
        services.certificate_revoke(actor=personas["training_coordinator"], certificate=certificate, reason=" ")
    services.certificate_revoke(actor=personas["training_coordinator"], certificate=certificate, reason="Fraude")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    event = AuditEvent.objects.filter(
        object_type="training.certificate", object_id=str(certificate.pk), action="transition"
    ).first()
    assert event is not None and event.reason == "Fraude" and event.actor_id == personas["training_coordinator"].pk
    response = client.get(reverse("verify:certificate", kwargs={"code": certificate.code}))
    assert "Revoked" in response.content.decode() and "Fraude" not in response.content.decode()


@pytest.mark.django_db
def test_unknown_code_and_throttle(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verify, "RATE", "2/hour")
    url = reverse("verify:certificate", kwargs={"code": "nope"})
    assert client.get(url, REMOTE_ADDR="10.9.8.7").status_code == 404
    assert client.get(url, REMOTE_ADDR="10.9.8.7").status_code == 404
    assert client.get(url, REMOTE_ADDR="10.9.8.7").status_code == 429


@pytest.mark.django_db
def test_issue_all_lists_who_was_refused(personas: dict[str, Any]) -> None:
    enrolment = scored_enrolment(personas, right=3)
    other = enrol(personas, enrolment.session, "caseworker")  # never attended, no post-test
    run = services.certificates_issue_all(actor=personas["trainer"], session=enrolment.session)
    assert run.issued == 1
    assert [refused.pk for refused, _check in run.refused] == [other.pk]
    assert enrolment.session.ends_on < timezone.localdate() + timedelta(days=1)
