"""The training leg in the browser: the STSS training coordinator builds a course from the labour
inspectors' framework and plans a one-day session; the trainer runs it on a phone (attendance by the
participant's QR code and by the sign-in list, pre-test, post-test); certificates are issued; a
stranger verifies one; the coordinator reads the gap heat map and the field-outcome comparison.
Screenshots in var/screenshots/training-*.png."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _phone(page_factory: Any, live_server: Any, user: Any | None, *, mobile: bool = True) -> Any:
    """A page (a phone by default) with a signed-in session, or anonymous when ``user`` is None."""
    from django.conf import settings
    from django.test import Client

    page = page_factory(locale="en", mobile=mobile)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return page


def _click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    page.wait_for_load_state("networkidle")


def _answer_all(page: Any, right: bool) -> None:
    from ruta.training.models import Question

    for fieldset in page.locator("main form fieldset").all():
        name = fieldset.locator("input, textarea").first.get_attribute("name")
        question = Question.objects.get(pk=int(name[1:]))
        wanted = (
            question.correct if right else [c["key"] for c in question.choices if c["key"] not in question.correct][:1]
        )
        if question.kind == "short":
            fieldset.locator("textarea").fill("¿Cómo es un día normal de trabajo aquí?")
        for key in wanted:
            fieldset.locator(f"input[value='{key}']").check()


def test_coordinator_trainer_participant_and_stranger(
    live_server: Any, browser_world: Any, page_factory: Any, screenshot: Any
) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ruta.accounts.models import Membership
    from ruta.institutions.models import Institution
    from ruta.training import demo
    from ruta.training.models import Certificate, Course, Enrolment, QuizKind, Submission, TrainingSession
    from tests.inspections.test_selectors import _world as inspection_world
    from tests.training.factories import bank

    personas = browser_world["personas"]
    stss = Institution.objects.get(code="stss")
    coordinator = get_user_model().objects.create(username="coord.stss", first_name="Marta", last_name="Coordinadora")
    Membership.objects.create(user=coordinator, institution=stss, role="training_coordinator")
    colleague = get_user_model().objects.create(username="insp.2", first_name="Héctor", last_name="Zelaya")
    Membership.objects.create(user=colleague, institution=stss, role="labour_inspector")
    inspector, trainer = personas["labour_inspector"], personas["trainer"]
    bank(personas, "LI-06")
    bank(personas, "LI-07")
    demo.seed(personas)  # a past session, so the field-outcome comparison has a cohort
    inspection_world(personas)  # the inspector's visits: before and after it

    # The coordinator builds a course from the inspectors' framework.
    desk = _phone(page_factory, live_server, coordinator, mobile=False)
    desk.goto(f"{live_server.url}/training/courses/")
    desk.get_by_role("link", name="Labour inspectors' competencies against forced labour and trafficking").click()
    desk.wait_for_load_state("networkidle")
    desk.fill("input[name=title]", "Entrevistas privadas e indicadores")
    for label in ("Private, trauma-informed interviews", "Recognising forced-labour and trafficking indicators"):
        desk.get_by_label(label, exact=False).first.check()
    screenshot(desk, "training-course-new")
    _click(desk, "Create the course")
    course = Course.objects.get(title="Entrevistas privadas e indicadores")
    assert [m.competency.code for m in course.modules.all()] == ["LI-06", "LI-07"]
    assert "Target level" in desk.inner_text("main")

    # …plans today's session with the trainer, and enrols two inspectors.
    desk.get_by_text("Plan a session of this course").click()
    desk.wait_for_load_state("networkidle")
    today = timezone.localdate().isoformat()
    desk.fill("input[name=starts_on]", today)
    desk.fill("input[name=ends_on]", today)
    desk.fill("input[name=place]", "STSS, Tegucigalpa")
    desk.select_option("select[name=trainers]", str(trainer.pk))
    _click(desk, "Plan")
    session = TrainingSession.objects.get(course=course)
    for person in (inspector, colleague):
        desk.select_option("select[name=participant]", str(person.pk))
        _click(desk, "Enrol")
    assert Enrolment.objects.filter(session=session, status="enrolled").count() == 2
    desk.select_option("select[name=participant]", str(inspector.pk))
    _click(desk, "Enrol")
    assert "already enrolled" in desk.inner_text("main")
    screenshot(desk, "training-session-coordinator")

    # The trainer, on a phone: draws the questions, opens the pre-test.
    phone = _phone(page_factory, live_server, trainer)
    phone.goto(f"{live_server.url}/training/sessions/{session.pk}/")
    _click(phone, "Draw the questions from the bank")
    _click(phone, "Open")
    screenshot(phone, "training-session-phone")

    # The participant shows their QR code; the trainer's phone opens it and confirms.
    participant = _phone(page_factory, live_server, inspector)
    participant.goto(f"{live_server.url}/training/mine/")
    participant.get_by_text("My attendance code").click()
    qr = participant.locator("img[alt='Attendance QR code']")
    qr.wait_for()
    assert participant.evaluate("(img) => img.naturalWidth > 0", qr.element_handle())
    screenshot(participant, "training-my-qr")
    token = participant.locator("main code").first.inner_text().strip()
    phone.goto(f"{live_server.url}/training/scan/{token}/")
    phone.get_by_role("button", name="Present on").click()
    phone.wait_for_load_state("networkidle")
    assert "signed in" in phone.inner_text("main")
    # The colleague signs in on the list.
    _click(phone, "Héctor Zelaya is here")
    screenshot(phone, "training-attendance")
    assert session.days.get().attendances.count() == 2

    # Pre-test on the participant's phone (some wrong), then the post-test (all right).
    participant.goto(f"{live_server.url}/training/mine/")
    participant.get_by_text("Take the Pre-test").click()
    participant.wait_for_load_state("networkidle")
    _answer_all(participant, right=False)
    screenshot(participant, "training-pre-test")
    _click(participant, "Send my answers")
    assert "Your score" in participant.inner_text("main")
    phone.goto(f"{live_server.url}/training/sessions/{session.pk}/")
    _click(phone, "Close")  # the pre-test
    _click(phone, "Open")  # the post-test
    participant.goto(f"{live_server.url}/training/mine/")
    participant.get_by_text("Take the Post-test").click()
    participant.wait_for_load_state("networkidle")
    _answer_all(participant, right=True)
    _click(participant, "Send my answers")
    post_test = session.tests.get(kind=QuizKind.POST)
    if post_test.questions.filter(kind="short").exists():  # the draw is random: a short answer or not
        assert "once the trainer marks the short answers" in participant.inner_text("main")
    phone.goto(f"{live_server.url}/training/sessions/{session.pk}/")
    _click(phone, "Close")
    # The trainer marks the short answers drawn (the draw is random: none to two per test) on the phone.
    phone.goto(f"{live_server.url}/training/sessions/{session.pk}/marking/")
    screenshot(phone, "training-marking")
    while phone.get_by_role("button", name="Right", exact=True).count():
        _click(phone, "Right")
    assert "No answers waiting to be marked." in phone.inner_text("main")
    post = Submission.objects.get(test__session=session, test__kind=QuizKind.POST)
    assert post.score == 100
    assert session.tests.get(kind=QuizKind.POST).status == "closed"

    # Certificates: the inspector gets one; the colleague (no post-test) is refused with the reason.
    phone.goto(f"{live_server.url}/training/sessions/{session.pk}/results/")
    _click(phone, "Issue the certificates of everyone who met the rules")
    text = phone.inner_text("main")
    assert "1 certificates issued" in text and "No certificate for Héctor Zelaya" in text
    screenshot(phone, "training-results")
    certificate = Certificate.objects.get(enrolment__session=session)

    # A stranger checks it.
    stranger = _phone(page_factory, live_server, None)
    stranger.goto(f"{live_server.url}/verify/{certificate.code}/")
    text = stranger.inner_text("main")
    assert inspector.get_full_name() in text and "Valid" in text and course.title in text
    assert "STSS" not in text and "100" not in text
    screenshot(stranger, "training-verify")

    # The coordinator reads the gap heat map and the field-outcome comparison.
    desk.goto(f"{live_server.url}/competencies/gaps/")
    assert desk.locator("main h1").count() == 1
    screenshot(desk, "training-heatmap")
    desk.goto(f"{live_server.url}/training/impact/")
    desk.wait_for_load_state("networkidle")
    assert demo.COURSE_TITLE in desk.inner_text("main")
    assert desk.evaluate("() => !!window.Chart")
    screenshot(desk, "training-impact")
