"""Demo data: the baseline study's institutional capacity questionnaire (an XLSForm in Spanish, with
English and French labels) and a few answers entered by the enumerator. Idempotent.

``BASELINE_FORM_ID`` is the form the baseline study's demo links to."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from ruta.instruments.models import Instrument, Submission
from ruta.instruments.services import import_xlsform, save_web_submission

BASELINE_FORM_ID = "capacidad_institucional"

LABELS = ["label::Español (es)", "label::English (en)", "label::Français (fr)"]
SURVEY: list[list[Any]] = [
    ["type", "name", *LABELS, "required", "relevant", "constraint", "constraint_message::Español (es)", "calculation"],
    ["start", "start"],
    ["end", "end"],
    ["today", "today"],
    ["deviceid", "deviceid"],
    ["select_one institucion", "institucion", "Institución", "Institution", "Institution", "yes"],
    [
        "text",
        "informante_cargo",
        "Cargo de la persona informante",
        "Respondent's position",
        "Poste de la personne interrogée",
        "yes",
    ],
    ["begin_group", "protocolos", "Protocolos", "Protocols", "Protocoles"],
    [
        "select_one si_no",
        "tiene_protocolo",
        "¿Aplica un protocolo de atención a víctimas de trata?",
        "Does it apply a protocol for trafficking victims?",
        "Applique-t-elle un protocole pour les victimes de la traite ?",
        "yes",
    ],
    [
        "integer",
        "anio_protocolo",
        "Año de adopción del protocolo",
        "Year the protocol was adopted",
        "Année d'adoption du protocole",
        "",
        "${tiene_protocolo} = 'si'",
        ". >= 1990 and . <= 2030",
        "Año entre 1990 y 2030",
    ],
    ["end_group"],
    ["begin_group", "personal", "Personal", "Staff", "Personnel"],
    [
        "integer",
        "personal_total",
        "Personal que atiende casos",
        "Staff handling cases",
        "Personnel traitant les cas",
        "yes",
        "",
        ". >= 0",
        "No puede ser negativo",
    ],
    [
        "integer",
        "personal_capacitado",
        "De ellos, capacitados en trata",
        "Of whom trained on trafficking",
        "Dont formés à la traite",
        "yes",
        "",
        ". <= ${personal_total}",
        "No puede superar el total",
    ],
    [
        "calculate",
        "pct_capacitado",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "if(${personal_total} > 0, round(100 * ${personal_capacitado} div ${personal_total}, 1), 0)",
    ],
    [
        "note",
        "nota_pct",
        "Personal capacitado: ${pct_capacitado} %",
        "Trained staff: ${pct_capacitado} %",
        "Personnel formé : ${pct_capacitado} %",
    ],
    ["end_group"],
    [
        "select_multiple pilares",
        "pilares",
        "Pilares en los que trabaja",
        "Pillars it works on",
        "Piliers de travail",
        "yes",
    ],
    [
        "select_one escala",
        "sistema_datos",
        "Sistema de registro de casos",
        "Case data system",
        "Système de données",
        "yes",
    ],
    [
        "select_one escala",
        "coordinacion",
        "Coordinación interinstitucional",
        "Inter-institutional coordination",
        "Coordination interinstitutionnelle",
        "yes",
    ],
    [
        "decimal",
        "presupuesto",
        "Presupuesto anual para trata (millones de lempiras)",
        "Annual anti-trafficking budget (million lempiras)",
        "Budget annuel (millions de lempiras)",
        "",
        "",
        ". >= 0",
    ],
    [
        "date",
        "fecha_entrevista",
        "Fecha de la entrevista",
        "Interview date",
        "Date de l'entretien",
        "yes",
        "",
        ". <= today()",
        "No puede ser futura",
    ],
    ["begin_repeat", "iniciativas", "Iniciativas vigentes", "Current initiatives", "Initiatives en cours"],
    ["text", "iniciativa_nombre", "Nombre de la iniciativa", "Initiative name", "Nom de l'initiative", "yes"],
    ["select_one pilares", "iniciativa_pilar", "Pilar", "Pillar", "Pilier", "yes"],
    ["end_repeat"],
    ["text", "observaciones", "Observaciones", "Remarks", "Observations"],
]
CHOICES: list[list[Any]] = [
    ["list_name", "name", *LABELS],
    ["si_no", "si", "Sí", "Yes", "Oui"],
    ["si_no", "no", "No", "No", "Non"],
    ["pilares", "prevencion", "Prevención", "Prevention", "Prévention"],
    ["pilares", "proteccion", "Protección", "Protection", "Protection"],
    ["pilares", "persecucion", "Persecución del delito", "Prosecution", "Poursuites"],
    ["pilares", "alianzas", "Alianzas", "Partnership", "Partenariats"],
    ["escala", "1", "Inexistente", "None", "Inexistant"],
    ["escala", "2", "Incipiente", "Emerging", "Naissant"],
    ["escala", "3", "En desarrollo", "Developing", "En développement"],
    ["escala", "4", "Consolidado", "Established", "Consolidé"],
    *[
        ["institucion", code, name, name, name]
        for code, name in (
            ("cicesct", "CICESCT"),
            ("eri", "Equipo de Respuesta Inmediata"),
            ("stss", "Secretaría de Trabajo"),
            ("sesal", "Secretaría de Salud"),
            ("seduc", "Secretaría de Educación"),
            ("mp", "Ministerio Público"),
            ("dpi", "Policía (DPI)"),
            ("ong-fortalece", "ONG Fortalece"),
            ("casa-alianza", "Casa Alianza"),
        )
    ],
]
SETTINGS: list[list[Any]] = [
    ["form_title", "form_id", "version", "default_language"],
    ["Capacidad institucional – línea de base", BASELINE_FORM_ID, "2019-01", "Español (es)"],
]

ANSWERS: list[dict[str, Any]] = [
    {
        "institucion": "sesal",
        "informante_cargo": "Coordinadora de salud mental",
        "protocolos/tiene_protocolo": "si",
        "protocolos/anio_protocolo": "2016",
        "personal/personal_total": "40",
        "personal/personal_capacitado": "12",
        "pilares": ["proteccion"],
        "sistema_datos": "2",
        "coordinacion": "3",
        "presupuesto": "1.5",
        "fecha_entrevista": "2019-03-12",
        "iniciativas": [
            {
                "iniciativas/iniciativa_nombre": "Atención integral a sobrevivientes",
                "iniciativas/iniciativa_pilar": "proteccion",
            }
        ],
    },
    {
        "institucion": "mp",
        "informante_cargo": "Fiscal especial",
        "protocolos/tiene_protocolo": "si",
        "protocolos/anio_protocolo": "2014",
        "personal/personal_total": "25",
        "personal/personal_capacitado": "20",
        "pilares": ["persecucion", "alianzas"],
        "sistema_datos": "3",
        "coordinacion": "3",
        "fecha_entrevista": "2019-03-13",
    },
    {
        "institucion": "seduc",
        "informante_cargo": "Directora de orientación",
        "protocolos/tiene_protocolo": "no",
        "personal/personal_total": "60",
        "personal/personal_capacitado": "3",
        "pilares": ["prevencion"],
        "sistema_datos": "1",
        "coordinacion": "2",
        "fecha_entrevista": "2019-03-14",
        "iniciativas": [
            {"iniciativas/iniciativa_nombre": "Escuelas seguras", "iniciativas/iniciativa_pilar": "prevencion"}
        ],
    },
]


def baseline_xlsform(form_id: str = BASELINE_FORM_ID) -> bytes:
    """The questionnaire as an .xlsx (the benchmark imports it under another ``form_id``)."""
    settings = [SETTINGS[0], [SETTINGS[1][0], form_id, *SETTINGS[1][2:]]]
    workbook = openpyxl.Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    for title, rows in (("survey", SURVEY), ("choices", CHOICES), ("settings", settings)):
        sheet = survey if title == "survey" else workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed(users: dict[str, Any]) -> dict[str, int]:
    coordinator, enumerator = users["study_coordinator"], users["enumerator"]
    if not Instrument.objects.filter(form_id=BASELINE_FORM_ID).exists():
        import_xlsform(io.BytesIO(baseline_xlsform()), user=coordinator, file_name="capacidad_institucional.xlsx")
    version = Instrument.objects.get(form_id=BASELINE_FORM_ID).versions.get(version="2019-01")
    for number, answers in enumerate(ANSWERS, start=1):
        save_web_submission(version, answers, user=enumerator, idempotency_key=f"demo-baseline-{number}")
    return {
        "instruments": Instrument.objects.count(),
        "submissions": Submission.objects.filter(version=version).count(),
    }
