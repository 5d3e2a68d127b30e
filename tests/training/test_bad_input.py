"""Refusals: double enrolment, attendance for someone not enrolled, a test twice or after closing,
a bad question, a bad upload. Each is refused with a message and leaves nothing half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ruta.training import services
from ruta.training.models import Answer, Attendance, Enrolment, EnrolmentStatus, Material, QuizKind, Submission
from ruta.training.services import TrainingError
from tests.training.factories import bank, competency, enrol, make_course, make_session, open_test


@pytest.mark.django_db
def test_double_enrolment_refused(personas: dict[str, Any]) -> None:
    session = make_session(personas)
    enrol(personas, session)
    with pytest.raises(TrainingError, match="already enrolled"):
        enrol(personas, session)
    assert Enrolment.objects.filter(session=session).count() == 1


@pytest.mark.django_db
def test_waiting_list_promoted_in_order(personas: dict[str, Any]) -> None:
    session = make_session(personas, capacity=1)
    first = enrol(personas, session, "labour_inspector")
    second = enrol(personas, session, "caseworker")
    third = enrol(personas, session, "eri_responder")
    assert [e.status for e in (first, second, third)] == ["enrolled", "waiting", "waiting"]
    promoted = services.enrolment_cancel(actor=personas["training_coordinator"], enrolment=first)
    assert promoted is not None and promoted.pk == second.pk
    third.refresh_from_db()
    assert third.status == EnrolmentStatus.WAITING
    # Cancelling someone on the waiting list frees no seat: nobody moves.
    assert services.enrolment_cancel(actor=personas["training_coordinator"], enrolment=third) is None


@pytest.mark.django_db
def test_attendance_only_for_enrolled_people(personas: dict[str, Any]) -> None:
    session = make_session(personas, capacity=1)
    enrol(personas, session, "labour_inspector")
    waiting = enrol(personas, session, "caseworker")
    with pytest.raises(TrainingError, match="not enrolled"):
        services.attendance_record(actor=personas["trainer"], enrolment=waiting, on=session.starts_on, method="list")
    with pytest.raises(TrainingError, match="not the code of anyone enrolled"):
        services.attendance_by_token(actor=personas["trainer"], session=session, token="forged", on=session.starts_on)
    other = make_session(personas)
    stranger = enrol(personas, other, "eri_responder")
    with pytest.raises(TrainingError):  # a code from another session
        services.attendance_by_token(
            actor=personas["trainer"], session=session, token=stranger.attendance_token, on=session.starts_on
        )
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_qr_url_pasted_and_scanned_twice(personas: dict[str, Any]) -> None:
    session = make_session(personas)
    enrolment = enrol(personas, session)
    url = f"https://ruta.example/training/scan/{enrolment.attendance_token}/"
    first = services.attendance_by_token(actor=personas["trainer"], session=session, token=url, on=session.starts_on)
    again = services.attendance_by_token(
        actor=personas["trainer"], session=session, token=enrolment.attendance_token, on=session.starts_on
    )
    assert first.created and not again.created
    assert Attendance.objects.count() == 1
    with pytest.raises(TrainingError, match="no day on"):
        services.attendance_record(
            actor=personas["trainer"], enrolment=enrolment, on=session.ends_on.replace(year=2000), method="list"
        )


@pytest.mark.django_db
def test_test_submitted_twice_or_after_closing(personas: dict[str, Any]) -> None:
    bank(personas)
    session = make_session(personas, course=make_course(personas, codes=("LI-06",)))
    enrolment = enrol(personas, session)
    test = session.tests.get(kind=QuizKind.PRE)
    with pytest.raises(TrainingError, match="not open"):
        services.test_submit(actor=personas["labour_inspector"], test=test, enrolment=enrolment, responses={}, key="a")
    test = open_test(personas, session)
    first = services.test_submit(
        actor=personas["labour_inspector"], test=test, enrolment=enrolment, responses={}, key="a"
    )
    # The same key again (a double tap) gives back the first submission; a new key is refused.
    again = services.test_submit(
        actor=personas["labour_inspector"], test=test, enrolment=enrolment, responses={}, key="a"
    )
    assert again.pk == first.pk
    with pytest.raises(TrainingError, match="already submitted"):
        services.test_submit(actor=personas["labour_inspector"], test=test, enrolment=enrolment, responses={}, key="b")
    services.test_advance(actor=personas["trainer"], test=test)
    late = enrol(personas, session, "caseworker")
    with pytest.raises(TrainingError, match="not open"):
        services.test_submit(actor=personas["caseworker"], test=test, enrolment=late, responses={}, key="c")
    assert Submission.objects.count() == 1 and Answer.objects.count() == 4


@pytest.mark.django_db
def test_bad_questions_refused(personas: dict[str, Any]) -> None:
    target = competency()
    actor = personas["trainer"]
    choices = [{"key": "a", "text": "A"}, {"key": "b", "text": "B"}]
    with pytest.raises(TrainingError, match="exactly one right"):
        services.question_create(
            actor=actor, competency=target, kind="single", text="?", choices=choices, correct=["a", "b"]
        )
    with pytest.raises(TrainingError, match="Mark which"):
        services.question_create(actor=actor, competency=target, kind="multiple", text="?", choices=choices, correct=[])


@pytest.mark.django_db
def test_upload_limits(personas: dict[str, Any]) -> None:
    session = make_session(personas)
    with pytest.raises(TrainingError, match="not accepted"):
        services.material_add(
            actor=personas["trainer"], session=session, title="x", upload=SimpleUploadedFile("x.exe", b"MZ\x90")
        )
    with pytest.raises(TrainingError, match="does not match"):
        services.material_add(
            actor=personas["trainer"], session=session, title="x", upload=SimpleUploadedFile("x.pdf", b"not a pdf")
        )
    services.material_add(
        actor=personas["trainer"], session=session, title="Guía", upload=SimpleUploadedFile("g.pdf", b"%PDF-1.4 ok")
    )
    assert Material.objects.count() == 1


@pytest.mark.django_db
def test_double_enrolment_page_shows_the_message(personas: dict[str, Any], client: Client) -> None:
    session = make_session(personas)
    enrol(personas, session)
    client.force_login(personas["training_coordinator"])
    url = reverse("training:enrol", kwargs={"pk": session.pk})
    response = client.post(url, {"participant": personas["labour_inspector"].pk}, follow=True)
    # The inspector is not of the coordinator's institution: refused by the form.
    assert "Choose a person of your institution." in response.content.decode()
    response = client.post(url, {"participant": personas["trainer"].pk}, follow=True)
    response = client.post(url, {"participant": personas["trainer"].pk}, follow=True)
    assert "is already enrolled in this session" in response.content.decode()
    assert Enrolment.objects.filter(session=session).count() == 2
