"""Permission matrix entries for every training page, and the public certificate check.

The world: a session of the coordinator's institution (ong-fortalece, a coordinator without a
territory reaches the whole country) given by the trainer persona, with the labour inspector
enrolled; for certificates, a finished session where the inspector passed."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ruta.training import services
from ruta.training.models import QuizKind
from tests.access.harness import EVERYONE, Route
from tests.training.factories import bank, certified, competency, enrol, make_course, make_session, open_test

REDIRECT = frozenset({302})
INVALID = frozenset({400})
COORDINATOR = {"training_coordinator"}
STAFF = {"trainer", "training_coordinator"}
PARTICIPANT = {"labour_inspector"}


def _session(personas: dict[str, Any]) -> dict[str, Any]:
    session = make_session(personas)
    return {"session": session, "enrolment": enrol(personas, session)}


def _with_bank(personas: dict[str, Any]) -> dict[str, Any]:
    bank(personas)
    session = make_session(personas, course=make_course(personas, codes=("LI-06",)))
    return {"session": session, "enrolment": enrol(personas, session)}


def _open_test(personas: dict[str, Any]) -> dict[str, Any]:
    world = _with_bank(personas)
    world["test"] = open_test(personas, world["session"], QuizKind.PRE)
    return world


def _certificate(personas: dict[str, Any]) -> dict[str, Any]:
    certificate = certified(personas)
    return {"certificate": certificate, "session": certificate.enrolment.session}


def _material(personas: dict[str, Any]) -> dict[str, Any]:
    world = _session(personas)
    world["material"] = services.material_add(
        actor=personas["trainer"],
        session=world["session"],
        title="Guía",
        upload=SimpleUploadedFile("guia.pdf", b"%PDF-1.4 guia"),
    )
    return world


def _course(personas: dict[str, Any]) -> dict[str, Any]:
    return {"course": make_course(personas)}


def session_pk(world: dict[str, Any]) -> dict[str, Any]:
    return {"pk": world["session"].pk}


def enrolment_pk(world: dict[str, Any]) -> dict[str, Any]:
    return {"pk": world["enrolment"].pk}


def _competency_pk() -> int:
    return competency("LI-06").pk


def _framework(world: dict[str, Any]) -> dict[str, Any]:
    return {"framework": "labour-inspectors"}


ROUTES = [
    Route("training:sessions", STAFF),
    Route("training:courses", COORDINATOR),
    Route("training:course_new", COORDINATOR, data=_framework),
    Route(
        "training:course_new",
        COORDINATOR,
        method="POST",
        data=lambda w: {
            "framework": "labour-inspectors",
            "title": "Curso",
            "competencies": [_competency_pk()],
            "hours_per_module": "2",
            "min_attendance": "80",
            "min_post_score": "70",
        },
        ok=REDIRECT,
        label="post",
    ),
    Route("training:course", COORDINATOR, world=_course, kwargs=lambda w: {"pk": w["course"].pk}),
    Route("training:questions", STAFF),
    Route("training:questions", STAFF, method="POST", ok=INVALID, label="empty"),
    Route("training:session_new", COORDINATOR),
    Route("training:session_new", COORDINATOR, method="POST", ok=INVALID, label="empty"),
    Route("training:session", STAFF, world=_session, kwargs=session_pk),
    Route(
        "training:enrol",
        COORDINATOR,
        method="POST",
        world=_session,
        kwargs=session_pk,
        data=lambda w: {"participant": w["personas"]["trainer"].pk},
        ok=REDIRECT,
    ),
    Route("training:attendance", STAFF, world=_session, kwargs=session_pk),
    Route(
        "training:attendance",
        STAFF,
        method="POST",
        world=_session,
        kwargs=session_pk,
        data=lambda w: {"enrolment": w["enrolment"].pk, "day": w["session"].starts_on.isoformat()},
        ok=REDIRECT,
        label="sign-in",
    ),
    Route("training:material_upload", STAFF, method="POST", world=_session, kwargs=session_pk, ok=REDIRECT),
    Route("training:tests_draw", STAFF, method="POST", world=_with_bank, kwargs=session_pk, ok=REDIRECT),
    Route("training:marking", STAFF, world=_session, kwargs=session_pk),
    Route("training:results", STAFF, world=_certificate, kwargs=session_pk),
    Route("training:certificates_issue", STAFF, method="POST", world=_session, kwargs=session_pk, ok=REDIRECT),
    Route("training:enrolment_cancel", COORDINATOR, method="POST", world=_session, kwargs=enrolment_pk, ok=REDIRECT),
    Route("training:certificate_issue", STAFF, method="POST", world=_session, kwargs=enrolment_pk, ok=REDIRECT),
    Route(
        "training:test_advance",
        STAFF,
        method="POST",
        world=_open_test,
        kwargs=lambda w: {"pk": w["test"].pk},
        ok=REDIRECT,
    ),
    Route("training:take_test", PARTICIPANT, world=_open_test, kwargs=lambda w: {"pk": w["test"].pk}),
    Route("training:material", STAFF | PARTICIPANT, world=_material, kwargs=lambda w: {"pk": w["material"].pk}),
    Route(
        "training:certificate_pdf",
        STAFF | PARTICIPANT,
        world=_certificate,
        kwargs=lambda w: {"pk": w["certificate"].pk},
    ),
    Route(
        "training:certificate_revoke",
        COORDINATOR,
        method="POST",
        world=_certificate,
        kwargs=lambda w: {"pk": w["certificate"].pk},
        data=lambda w: {"reason": "Emitido por error"},
        ok=REDIRECT,
    ),
    Route("training:scan", STAFF, world=_session, kwargs=lambda w: {"token": w["enrolment"].attendance_token}),
    Route("training:impact", COORDINATOR),
    Route(
        "training:person",
        COORDINATOR,
        world=_session,
        kwargs=lambda w: {"pk": w["personas"]["labour_inspector"].pk},
    ),
    Route("training:mine", {EVERYONE}),
    Route("training:my_export", {EVERYONE}),
    Route("training:my_qr", PARTICIPANT, world=_session, kwargs=enrolment_pk),
    Route("training:survey", PARTICIPANT, world=_session, kwargs=enrolment_pk),
    Route(
        "training:survey", PARTICIPANT, method="POST", world=_session, kwargs=enrolment_pk, ok=INVALID, label="empty"
    ),
    Route(
        "verify:certificate",
        set(),
        public=True,
        world=_certificate,
        kwargs=lambda w: {"code": w["certificate"].code},
    ),
]
