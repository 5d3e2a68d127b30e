"""The 2019 baseline study as demo data: the baseline round with its two-day workshop (35
participants of 12 institutions), the initiative inventory of the Honduran institutions, declared
links, capacity scores for eight institutions, and an endline round that scores four of them again,
so the comparison charts show change. Names are invented. Idempotent: seeded once, by title."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from ruta.baseline import services
from ruta.baseline.models import CapacityDimension, Study
from ruta.geo.models import Department
from ruta.institutions.models import Institution
from ruta.instruments.models import InstrumentVersion

STUDY_TITLE = "Línea de base 2019"

# (institution, role or position, sex, department code) — 35 participations of 12 institutions.
PARTICIPANTS: list[tuple[str, str, str, str]] = [
    ("cicesct", "Secretaria ejecutiva", "female", "08"),
    ("cicesct", "Coordinador de la línea 145", "male", "08"),
    ("cicesct", "Técnica de comunicación", "female", "08"),
    ("eri", "Coordinadora del ERI", "female", "08"),
    ("eri", "Psicólogo del ERI", "male", "08"),
    ("eri", "Trabajadora social del ERI", "female", "05"),
    ("stss", "Inspector de trabajo", "male", "05"),
    ("stss", "Directora de inspección", "female", "08"),
    ("stss", "Inspector de trabajo infantil", "male", "01"),
    ("dpi", "Agente de la unidad contra la trata", "male", "08"),
    ("dpi", "Subcomisario de investigación", "male", "05"),
    ("dpi", "Analista criminal", "female", "08"),
    ("mp", "Fiscal especial contra la trata", "female", "08"),
    ("mp", "Fiscal auxiliar", "male", "05"),
    ("mp", "Técnico de atención a víctimas", "male", "08"),
    ("pj", "Jueza de letras penal", "female", "08"),
    ("pj", "Secretario de tribunal", "male", "05"),
    ("sesal", "Médica del hospital Escuela", "female", "08"),
    ("sesal", "Enfermero de salud mental", "male", "08"),
    ("sesal", "Coordinadora de violencia", "female", "05"),
    ("seduc", "Orientadora escolar", "female", "08"),
    ("seduc", "Director departamental", "male", "01"),
    ("seduc", "Técnico de convivencia escolar", "male", "08"),
    ("senaf", "Defensora de la niñez", "female", "08"),
    ("senaf", "Abogado de protección", "male", "05"),
    ("senaf", "Psicóloga de protección", "female", "08"),
    ("casa-alianza", "Coordinador de incidencia", "male", "08"),
    ("casa-alianza", "Educadora de calle", "female", "08"),
    ("casa-alianza", "Abogado", "male", "08"),
    ("oim", "Oficial de protección", "male", "08"),
    ("oim", "Asistente de retorno", "female", "05"),
    ("oim", "Oficial de proyectos", "male", "08"),
    ("ong-fortalece", "Directora ejecutiva", "female", "08"),
    ("ong-fortalece", "Facilitador", "male", "08"),
    ("ong-fortalece", "Monitora y evaluadora", "female", "08"),
]
GIVEN = {
    "female": ["María José", "Karla", "Lourdes", "Dania", "Suyapa", "Iris", "Gabriela", "Nora", "Ruth"],
    "male": ["José Luis", "Carlos", "Marvin", "Wilmer", "Óscar", "Denis", "Héctor", "Elvin", "Mario"],
}
FAMILY = [
    "Hernández",
    "López",
    "Martínez",
    "Rodríguez",
    "Flores",
    "Mejía",
    "Zelaya",
    "Castillo",
    "Paz",
    "Reyes",
    "Ávila",
]

# (institution, title, kind, pillar, target group, coverage, department codes, status, start year, source)
INITIATIVES: list[tuple[str, str, str, str, str, str, tuple[str, ...], str, int, str]] = [
    (
        "cicesct",
        "Línea 145 de denuncia",
        "service",
        "protection",
        "victims",
        "national",
        (),
        "active",
        2016,
        "Informe anual CICESCT 2018",
    ),
    (
        "cicesct",
        "Plan estratégico contra la ESC y trata 2016-2022",
        "programme",
        "partnership",
        "officials",
        "national",
        (),
        "active",
        2016,
        "Plan estratégico",
    ),
    (
        "eri",
        "Protocolo de atención inmediata",
        "protocol",
        "protection",
        "victims",
        "national",
        (),
        "active",
        2017,
        "Protocolo ERI",
    ),
    (
        "stss",
        "Inspecciones de trabajo infantil",
        "programme",
        "prevention",
        "children",
        "departmental",
        ("05", "01", "03"),
        "active",
        2015,
        "Entrevista STSS",
    ),
    (
        "dpi",
        "Unidad contra la trata de personas",
        "service",
        "prosecution",
        "victims",
        "national",
        (),
        "active",
        2013,
        "Entrevista DPI",
    ),
    (
        "mp",
        "Fiscalía especial contra la trata",
        "service",
        "prosecution",
        "victims",
        "national",
        (),
        "active",
        2014,
        "Memoria MP 2018",
    ),
    (
        "mp",
        "Protocolo de entrevista única a niñez",
        "protocol",
        "prosecution",
        "children",
        "departmental",
        ("08", "05"),
        "planned",
        2019,
        "Taller de línea de base",
    ),
    (
        "pj",
        "Juzgados especializados en violencia",
        "service",
        "prosecution",
        "women",
        "departmental",
        ("08", "05"),
        "active",
        2016,
        "Entrevista PJ",
    ),
    (
        "sesal",
        "Atención médica a víctimas de violencia",
        "service",
        "protection",
        "victims",
        "departmental",
        ("08", "05", "01"),
        "active",
        2012,
        "Normas SESAL",
    ),
    (
        "seduc",
        "Prevención de la trata en escuelas",
        "programme",
        "prevention",
        "children",
        "departmental",
        ("08", "05", "01", "18"),
        "active",
        2018,
        "Entrevista SEDUC",
    ),
    (
        "senaf",
        "Medidas de protección a niñez",
        "service",
        "protection",
        "children",
        "national",
        (),
        "active",
        2014,
        "Ley SENAF",
    ),
    (
        "amdc",
        "Red comunitaria de Tegucigalpa",
        "initiative",
        "prevention",
        "community",
        "local",
        ("08",),
        "active",
        2018,
        "Entrevista AMDC",
    ),
    (
        "sps",
        "Mesa municipal contra la trata",
        "initiative",
        "partnership",
        "community",
        "local",
        ("05",),
        "suspended",
        2017,
        "Acta municipal",
    ),
    (
        "casa-alianza",
        "Albergue de protección",
        "service",
        "protection",
        "children",
        "departmental",
        ("08",),
        "active",
        2000,
        "Informe Casa Alianza",
    ),
    (
        "oim",
        "Asistencia al retorno de migrantes",
        "programme",
        "protection",
        "migrants",
        "departmental",
        ("08", "05", "06"),
        "active",
        2015,
        "Informe OIM",
    ),
    (
        "oim",
        "Formación de funcionarios",
        "programme",
        "partnership",
        "officials",
        "national",
        (),
        "active",
        2018,
        "Plan de trabajo OIM",
    ),
    (
        "ong-fortalece",
        "Campaña No a la trata",
        "initiative",
        "prevention",
        "community",
        "departmental",
        ("08", "01"),
        "ended",
        2017,
        "Informe final",
    ),
]

LINKS: list[tuple[str, str, str]] = [
    ("cicesct", "eri", "coordination"),
    ("cicesct", "oim", "funding"),
    ("eri", "senaf", "referral_route"),
    ("eri", "sesal", "referral_route"),
    ("eri", "mp", "referral_route"),
    ("mp", "dpi", "coordination"),
    ("stss", "mp", "referral_route"),
    ("oim", "eri", "technical"),
    ("ong-fortalece", "seduc", "agreement"),
    ("casa-alianza", "senaf", "agreement"),
]

# Capacity scores per institution: dimension code → score (1-4), baseline then endline.
BASELINE_SCORES: dict[str, tuple[int, int, int, int, int]] = {
    # protocols, trained_staff, data_systems, coordination, resources
    "cicesct": (3, 2, 2, 3, 2),
    "eri": (2, 2, 1, 2, 1),
    "stss": (2, 1, 2, 2, 2),
    "dpi": (2, 2, 2, 2, 1),
    "mp": (3, 2, 2, 2, 2),
    "sesal": (1, 1, 2, 1, 1),
    "senaf": (2, 2, 1, 2, 1),
    "casa-alianza": (3, 3, 2, 3, 2),
}
ENDLINE_SCORES: dict[str, tuple[int, int, int, int, int]] = {
    "eri": (4, 3, 3, 3, 2),
    "stss": (3, 3, 3, 3, 2),
    "sesal": (3, 2, 2, 3, 1),
    "senaf": (3, 3, 3, 3, 2),
}
DIMENSIONS = ("protocols", "trained_staff", "data_systems", "coordination", "resources")


def _name(index: int, sex: str) -> str:
    given = GIVEN[sex][index % len(GIVEN[sex])]
    return f"{given} {FAMILY[index % len(FAMILY)]} {FAMILY[(index * 7 + 3) % len(FAMILY)]}"


def _scores(values: tuple[int, ...]) -> dict[CapacityDimension, int]:
    dimensions = {dimension.code: dimension for dimension in CapacityDimension.objects.filter(code__in=DIMENSIONS)}
    return {dimensions[code]: value for code, value in zip(DIMENSIONS, values, strict=True) if code in dimensions}


def seed_inventory(actor: Any) -> None:
    """The initiatives of the Honduran institutions and the links they declared."""
    institutions = {institution.code: institution for institution in Institution.objects.all()}
    departments = {department.code: department for department in Department.objects.all()}
    for code, title, kind, pillar, target, coverage, codes, status, year, source in INITIATIVES:
        services.initiative_create(
            actor=actor,
            institution=institutions[code],
            title=title,
            kind=kind,
            pillar=pillar,
            target_group=target,
            coverage=coverage,
            departments=[departments[department] for department in codes],
            status=status,
            starts_on=date(year, 1, 1),
            ends_on=date(2019, 12, 31) if status == "ended" else None,
            source=source,
        )
    for source, target, kind in LINKS:
        services.link_create(actor=actor, source=institutions[source], target=institutions[target], kind=kind)


@transaction.atomic
def seed(users: dict[str, Any]) -> dict[str, int]:
    if Study.objects.filter(title=STUDY_TITLE).exists():
        return {"studies": 0}
    actor = users.get("study_coordinator") or users["administrator"]
    institutions = {institution.code: institution for institution in Institution.objects.all()}
    departments = {department.code: department for department in Department.objects.all()}
    study = services.study_create(
        actor=actor,
        title=STUDY_TITLE,
        description="Fotografía de la respuesta nacional contra la trata al inicio del proyecto, repetida al final.",
    )
    instruments = list(InstrumentVersion.objects.order_by("pk")[:3])
    covered = [institutions[code] for code in sorted({row[0] for row in PARTICIPANTS} | set(BASELINE_SCORES))]
    baseline = services.round_save(
        actor=actor,
        study=study,
        data=services.RoundInput(
            kind="baseline",
            starts_on=date(2019, 3, 1),
            ends_on=date(2019, 6, 28),
            instruments=instruments,
            departments=[departments[code] for code in ("08", "05", "01")],
            institutions=covered,
        ),
    )
    endline = services.round_save(
        actor=actor,
        study=study,
        data=services.RoundInput(
            kind="endline",
            starts_on=date(2022, 9, 1),
            ends_on=date(2022, 11, 30),
            instruments=instruments,
            departments=[departments[code] for code in ("08", "05", "01")],
            institutions=[institutions[code] for code in ENDLINE_SCORES],
        ),
    )
    workshop = services.workshop_create(
        actor=actor,
        round_=baseline,
        title="Taller de línea de base",
        starts_on=date(2019, 4, 23),
        ends_on=date(2019, 4, 24),
        place="Tegucigalpa, Hotel Plaza San Martín",
        department=departments["08"],
        sessions=[("Día 1: situación actual", date(2019, 4, 23)), ("Día 2: rutas de mejora", date(2019, 4, 24))],
    )
    participants = [
        services.participant_add(
            actor=actor,
            workshop=workshop,
            name=_name(index, sex),
            institution=institutions[code],
            position=position,
            sex=sex,
            department=departments[department],
        )
        for index, (code, position, sex, department) in enumerate(PARTICIPANTS)
    ]
    day_one, day_two = list(workshop.sessions.all())
    services.attendance_record(actor=actor, session=day_one, present=participants)
    services.attendance_record(actor=actor, session=day_two, present=participants[:31])
    outputs = [
        services.output_add(actor=actor, workshop=workshop, group=group, text=text)
        for group, text in [
            (
                "Grupo 1: identificación",
                "Cada institución usa su propio formulario; no hay criterios comunes de identificación.",
            ),
            ("Grupo 2: atención", "Faltan albergues especializados fuera de Tegucigalpa y San Pedro Sula."),
            ("Grupo 3: persecución", "Las víctimas declaran varias veces; la entrevista única no se aplica."),
            ("Grupo 4: coordinación", "Las derivaciones se hacen por teléfono, sin registro ni seguimiento."),
        ]
    ]
    seed_inventory(actor)
    assessments = {
        code: services.assessment_save(
            actor=actor, round_=baseline, institution=institutions[code], scores=_scores(values)
        )
        for code, values in BASELINE_SCORES.items()
    }
    for code, values in ENDLINE_SCORES.items():
        services.assessment_save(actor=actor, round_=endline, institution=institutions[code], scores=_scores(values))
    services.finding_create(
        actor=actor,
        round_=baseline,
        kind="finding",
        text="No existe un registro común de derivaciones entre instituciones.",
        workshop=workshop,
        evidence=[outputs[3], assessments["eri"]],
    )
    services.finding_create(
        actor=actor,
        round_=baseline,
        kind="finding",
        text="La atención en salud a víctimas carece de protocolo específico.",
        workshop=workshop,
        evidence=[outputs[1], assessments["sesal"]],
    )
    services.finding_create(
        actor=actor,
        round_=baseline,
        kind="recommendation",
        text="Adoptar un sistema interinstitucional de registro y derivación con plazos y seguimiento.",
        workshop=workshop,
        evidence=[outputs[0], outputs[3]],
    )
    services.result_indicator_create(
        actor=actor,
        study=study,
        title="Instituciones con protocolo de atención aprobado",
        unit="instituciones",
        baseline_value=Decimal(4),
        target_value=Decimal(10),
    )
    services.result_indicator_create(
        actor=actor,
        study=study,
        title="Alertas recibidas por el sistema",
        unit="alertas",
        baseline_value=Decimal(0),
        target_value=Decimal(500),
        statistic="alerts.received",
    )
    typed = study.indicators.get(statistic="")
    services.result_value_record(
        actor=actor, indicator=typed, round_=baseline, value=Decimal(4), source="Matriz de capacidades 2019"
    )
    services.result_value_record(
        actor=actor, indicator=typed, round_=endline, value=Decimal(8), source="Matriz de capacidades 2022"
    )
    return {"studies": 1, "participants": len(participants), "initiatives": len(INITIATIVES), "links": len(LINKS)}
