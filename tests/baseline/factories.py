"""A small seeded study whose every figure was counted by hand (see the numbers in each docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ruta.baseline import services
from ruta.baseline.models import CapacityDimension, Round, Study, Workshop
from ruta.geo.models import Department
from ruta.institutions.models import Institution

# (institution, sex) of the workshop's 7 participants: 4 women, 2 men, 1 not stated, 3 institutions.
PARTICIPANTS = [
    ("eri", "female"),
    ("eri", "female"),
    ("eri", "male"),
    ("sesal", "female"),
    ("sesal", "unstated"),
    ("mp", "female"),
    ("mp", "male"),
]
# Scores per dimension (protocols, trained_staff, data_systems, coordination, resources).
BASELINE = {"eri": (1, 2, 1, 2, 1), "stss": (2, 2, 3, 1, 1)}
ENDLINE = {"eri": (3, 3, 2, 2, 1), "stss": (2, 3, 3, 2, 2)}
DIMENSIONS = ("protocols", "trained_staff", "data_systems", "coordination", "resources")


@dataclass
class SeededStudy:
    study: Study
    baseline: Round
    endline: Round
    workshop: Workshop
    participants: list[Any]
    outputs: list[Any]


def institution(code: str) -> Institution:
    return Institution.objects.get(code=code)


def scores(values: tuple[int, ...]) -> dict[CapacityDimension, int]:
    by_code = {dimension.code: dimension for dimension in CapacityDimension.objects.all()}
    return {by_code[code]: value for code, value in zip(DIMENSIONS, values, strict=True)}


def make_study(actor: Any, *, title: str = "Estudio de prueba") -> Study:
    return services.study_create(actor=actor, title=title)


def make_round(actor: Any, study: Study, kind: str = "baseline", *, year: int = 2019) -> Round:
    return services.round_save(
        actor=actor,
        study=study,
        data=services.RoundInput(
            kind=kind,
            starts_on=date(year, 3, 1),
            ends_on=date(year, 6, 30),
            departments=[Department.objects.get(code="08")],
            institutions=[institution(code) for code in ("eri", "sesal", "mp", "stss")],
        ),
    )


def make_workshop(actor: Any, round_: Round, *, department: str = "08") -> Workshop:
    return services.workshop_create(
        actor=actor,
        round_=round_,
        title="Taller de prueba",
        starts_on=date(round_.starts_on.year, 4, 23),
        ends_on=date(round_.starts_on.year, 4, 24),
        place="Tegucigalpa",
        department=Department.objects.get(code=department),
        sessions=[("Día 1", date(round_.starts_on.year, 4, 23)), ("Día 2", date(round_.starts_on.year, 4, 24))],
    )


def seeded_study(actor: Any) -> SeededStudy:
    """7 participants (4 women → 57.1 %), 3 institutions; day 1: 6 present, day 2: 5 present;
    2 group outputs; capacity of ERI and STSS at baseline and endline."""
    study = make_study(actor)
    baseline = make_round(actor, study, "baseline", year=2019)
    endline = make_round(actor, study, "endline", year=2022)
    workshop = make_workshop(actor, baseline)
    participants = [
        services.participant_add(
            actor=actor,
            workshop=workshop,
            name=f"Participante {index}",
            institution=institution(code),
            position="Técnico",
            sex=sex,
        )
        for index, (code, sex) in enumerate(PARTICIPANTS)
    ]
    day_one, day_two = list(workshop.sessions.all())
    services.attendance_record(actor=actor, session=day_one, present=participants[:6])
    services.attendance_record(actor=actor, session=day_two, present=participants[2:])
    outputs = [
        services.output_add(actor=actor, workshop=workshop, group="Grupo 1", text="Sin registro común."),
        services.output_add(actor=actor, workshop=workshop, group="Grupo 2", text="Faltan albergues."),
    ]
    for code, values in BASELINE.items():
        services.assessment_save(actor=actor, round_=baseline, institution=institution(code), scores=scores(values))
    for code, values in ENDLINE.items():
        services.assessment_save(actor=actor, round_=endline, institution=institution(code), scores=scores(values))
    return SeededStudy(study, baseline, endline, workshop, participants, outputs)
