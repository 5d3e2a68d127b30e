"""Permission matrix entries for every baseline page.

Coordinators run studies (national); analysts and administrators see them; enumerators only reach
the workshops to register participants and sign them in."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ruta.baseline import services
from ruta.baseline.models import CapacityDimension, ReportStatus, RoundReport
from tests.access.harness import Route
from tests.baseline.factories import institution, make_round, make_study, make_workshop

VIEWERS = {"study_coordinator", "analyst", "administrator"}
MANAGERS = {"study_coordinator"}
RECORDERS = {"study_coordinator", "enumerator"}
REDIRECT = frozenset({302})


def _world(personas: dict[str, Any]) -> dict[str, Any]:
    actor = personas["study_coordinator"]
    study = make_study(actor)
    round_ = make_round(actor, study)
    workshop = make_workshop(actor, round_)
    participant = services.participant_add(
        actor=actor, workshop=workshop, name="Ana", institution=institution("eri"), position="Técnica", sex="female"
    )
    indicator = services.result_indicator_create(
        actor=actor, study=study, title="Protocolos", baseline_value=1, target_value=5
    )
    report = RoundReport.objects.create(
        round=round_,
        requested_by=actor,
        requested_at=timezone.now(),
        language="en",
        status=ReportStatus.COMPLETE,
        steps_done=3,
        xlsx=b"PK-xlsx",
        pdf=b"%PDF-1.4",
    )
    return {
        "study": study,
        "round": round_,
        "workshop": workshop,
        "session": workshop.sessions.first(),
        "participant": participant,
        "indicator": indicator,
        "report": report,
    }


def study(w: dict[str, Any]) -> dict[str, Any]:
    return {"pk": w["study"].pk}


def round_(w: dict[str, Any]) -> dict[str, Any]:
    return {"pk": w["round"].pk}


def workshop(w: dict[str, Any]) -> dict[str, Any]:
    return {"pk": w["workshop"].pk}


def report(w: dict[str, Any]) -> dict[str, Any]:
    return {"pk": w["report"].pk}


def _scores(w: dict[str, Any]) -> dict[str, Any]:
    return {dimension.code: 2 for dimension in CapacityDimension.objects.filter(is_active=True)}


def _initiative(w: dict[str, Any]) -> dict[str, Any]:
    return {
        "institution": institution("senaf").pk,
        "title": "Medidas de protección",
        "kind": "service",
        "pillar": "protection",
        "target_group": "children",
        "coverage": "national",
        "status": "active",
        "source": "Entrevista",
    }


ROUTES = [
    Route("baseline:studies", VIEWERS),
    Route("baseline:study_new", MANAGERS),
    Route(
        "baseline:study_new",
        MANAGERS,
        method="POST",
        data=lambda w: {"title": "Línea media"},
        ok=REDIRECT,
        label="post",
    ),
    Route("baseline:study", VIEWERS, world=_world, kwargs=study),
    Route("baseline:round_new", MANAGERS, world=_world, kwargs=study),
    Route(
        "baseline:round_new",
        MANAGERS,
        method="POST",
        world=_world,
        kwargs=study,
        data=lambda w: {"kind": "endline", "starts_on": "2022-09-01", "ends_on": "2022-11-30"},
        ok=REDIRECT,
        label="post",
    ),
    Route("baseline:comparison", VIEWERS, world=_world, kwargs=study),
    Route("baseline:results", VIEWERS, world=_world, kwargs=study),
    Route("baseline:result_new", MANAGERS, world=_world, kwargs=study),
    Route(
        "baseline:result_new",
        MANAGERS,
        method="POST",
        world=_world,
        kwargs=study,
        data=lambda w: {"title": "Personal capacitado", "baseline_value": "10", "target_value": "50", "statistic": ""},
        ok=REDIRECT,
        label="post",
    ),
    Route(
        "baseline:result_value",
        MANAGERS,
        method="POST",
        world=_world,
        kwargs=lambda w: {"pk": w["indicator"].pk, "round_pk": w["round"].pk},
        data=lambda w: {"value": "3", "source": "Matriz"},
        ok=REDIRECT,
    ),
    Route("baseline:round", VIEWERS, world=_world, kwargs=round_),
    Route("baseline:round_edit", MANAGERS, world=_world, kwargs=round_),
    Route(
        "baseline:round_edit",
        MANAGERS,
        method="POST",
        world=_world,
        kwargs=round_,
        data=lambda w: {"kind": "baseline", "starts_on": "2019-03-01", "ends_on": "2019-07-31"},
        ok=REDIRECT,
        label="post",
    ),
    Route("baseline:workshop_new", MANAGERS, world=_world, kwargs=round_),
    Route(
        "baseline:workshop_new",
        MANAGERS,
        method="POST",
        world=_world,
        kwargs=round_,
        data=lambda w: {
            "title": "Taller regional",
            "starts_on": "2019-05-02",
            "ends_on": "2019-05-03",
            "place": "San Pedro Sula",
            "sessions": "2",
        },
        ok=REDIRECT,
        label="post",
    ),
    Route("baseline:finding_new", MANAGERS, world=_world, kwargs=round_),
    Route(
        "baseline:finding_new",
        MANAGERS,
        method="POST",
        world=_world,
        kwargs=round_,
        data=lambda w: {"kind": "finding", "text": "Sin registro común."},
        ok=REDIRECT,
        label="post",
    ),
    Route("baseline:assessment", MANAGERS, world=_world, kwargs=lambda w: {"pk": w["round"].pk, "institution": "eri"}),
    Route(
        "baseline:assessment",
        MANAGERS,
        method="POST",
        world=_world,
        kwargs=lambda w: {"pk": w["round"].pk, "institution": "eri"},
        data=_scores,
        ok=REDIRECT,
        label="post",
    ),
    Route("baseline:report_new", VIEWERS, method="POST", world=_world, kwargs=round_, ok=REDIRECT),
    Route("baseline:report", VIEWERS, world=_world, kwargs=report),
    Route("baseline:report_progress", VIEWERS, world=_world, kwargs=report),
    Route("baseline:report_download", VIEWERS, world=_world, kwargs=lambda w: {"pk": w["report"].pk, "fmt": "pdf"}),
    Route("baseline:workshops", VIEWERS | RECORDERS, world=_world),
    Route("baseline:workshop", VIEWERS | RECORDERS, world=_world, kwargs=workshop),
    Route(
        "baseline:session_new",
        MANAGERS,
        method="POST",
        world=_world,
        kwargs=workshop,
        data=lambda w: {"title": "Plenaria", "held_on": w["workshop"].starts_on.isoformat()},
        ok=REDIRECT,
    ),
    Route("baseline:participant_new", RECORDERS, world=_world, kwargs=workshop),
    Route(
        "baseline:participant_new",
        RECORDERS,
        method="POST",
        world=_world,
        kwargs=workshop,
        data=lambda w: {"name": "Luis", "institution": institution("mp").pk, "position": "Fiscal", "sex": "male"},
        ok=REDIRECT,
        label="post",
    ),
    Route(
        "baseline:output_new",
        MANAGERS,
        method="POST",
        world=_world,
        kwargs=workshop,
        data=lambda w: {"group": "Grupo 1", "text": "Hallazgo"},
        ok=REDIRECT,
    ),
    Route("baseline:attendance", RECORDERS, world=_world, kwargs=lambda w: {"pk": w["session"].pk}),
    Route(
        "baseline:attendance",
        RECORDERS,
        method="POST",
        world=_world,
        kwargs=lambda w: {"pk": w["session"].pk},
        data=lambda w: {"present": [w["participant"].pk]},
        ok=REDIRECT,
        label="post",
    ),
    Route("baseline:initiatives", VIEWERS),
    Route("baseline:initiative_new", MANAGERS),
    Route("baseline:initiative_new", MANAGERS, method="POST", data=_initiative, ok=REDIRECT, label="post"),
    Route("baseline:actor_map", VIEWERS),
    Route("baseline:link_new", MANAGERS),
    Route(
        "baseline:link_new",
        MANAGERS,
        method="POST",
        data=lambda w: {"source": institution("eri").pk, "target": institution("senaf").pk, "kind": "referral_route"},
        ok=REDIRECT,
        label="post",
    ),
    Route("api:baseline-round-figures", VIEWERS, world=_world, kwargs=round_),
]
