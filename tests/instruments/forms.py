"""XLSForms written for the tests, built with openpyxl (no binary fixtures in the repository)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

Rows = list[list[Any]]


def xlsx(survey: Rows, choices: Rows | None = None, settings: Rows | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows:
            extra = workbook.create_sheet(title)
            for row in rows:
                extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SURVEY_HEADER = [
    "type",
    "name",
    "label::Español (es)",
    "label::English (en)",
    "hint::English (en)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::English (en)",
    "calculation",
    "$kuid",
]

# Every type and expression the web form supports (KoBo-style columns included).
FULL_SURVEY: Rows = [
    SURVEY_HEADER,
    ["start", "start"],
    ["end", "end"],
    ["today", "today"],
    ["deviceid", "deviceid"],
    [
        "text",
        "institution",
        "Institución",
        "Institution",
        "Full name",
        "yes",
        "",
        "string-length(.) >= 3",
        "At least 3 letters",
        "",
        "k1",
    ],
    ["integer", "staff", "Personal", "Staff", "", "yes", "", ". >= 0 and . < 10000", "Between 0 and 9999", "", "k2"],
    ["decimal", "budget", "Presupuesto", "Budget", "", "", "${staff} > 0", ". > 0", "Must be positive", "", "k3"],
    ["date", "founded", "Fundación", "Founded", "", "", "", ". <= today()", "Not in the future", "", "k4"],
    ["select_one yes_no", "has_protocol", "¿Protocolo?", "Protocol?", "", "yes", "", "", "", "", "k5"],
    [
        "select_multiple pillars",
        "pillars",
        "Pilares",
        "Pillars",
        "",
        "",
        "selected(${has_protocol}, 'yes')",
        "count-selected(.) <= 3",
        "Three at most",
        "",
        "k6",
    ],
    ["note", "pillars_note", "Eligió ${pillar_count}", "You chose ${pillar_count}", "", "", "", "", "", "", "k7"],
    ["calculate", "pillar_count", "", "", "", "", "", "", "", "count-selected(${pillars})", "k8"],
    [
        "calculate",
        "per_head",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "if(${staff} > 0, round(${budget} div ${staff}, 2), 0)",
        "k9",
    ],
    ["begin_group", "contact", "Contacto", "Contact", "", "", "", "", "", "", "k10"],
    ["text", "email", "Correo", "E-mail", "", "", "", "regex(., '^[^@]+@[^@]+$')", "Not an e-mail", "", "k11"],
    ["text", "phone", "Teléfono", "Phone", "", "", "not(${email} != '')", "", "", "", "k12"],
    ["end_group", "", "", "", "", "", "", "", "", "", ""],
    ["begin_repeat", "programme", "Programa", "Programme", "", "", "", "", "", "", "k13"],
    ["text", "programme_name", "Nombre", "Name", "", "yes", "", "", "", "", "k14"],
    ["integer", "beneficiaries", "Beneficiarios", "Beneficiaries", "", "", "", ". >= 0", "", "", "k15"],
    ["end_repeat", "", "", "", "", "", "", "", "", "", ""],
    [
        "calculate",
        "summary",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "concat(${institution}, ' ', coalesce(${phone}, ${email}))",
        "k16",
    ],
    ["calculate", "staff_int", "", "", "", "", "", "", "", "int(number(${staff}) * 1.5)", "k17"],
]

FULL_CHOICES: Rows = [
    ["list_name", "name", "label::Español (es)", "label::English (en)"],
    ["yes_no", "yes", "Sí", "Yes"],
    ["yes_no", "no", "No", "No"],
    ["pillars", "prevention", "Prevención", "Prevention"],
    ["pillars", "protection", "Protección", "Protection"],
    ["pillars", "prosecution", "Persecución", "Prosecution"],
    ["pillars", "partnership", "Alianzas", "Partnership"],
]

FULL_SETTINGS: Rows = [
    ["form_title", "form_id", "version", "default_language", "style"],
    ["Capacidad institucional", "capacity", "2024-01", "Español (es)", "pages"],
]


def full_form(version: str = "2024-01") -> bytes:
    settings = [FULL_SETTINGS[0], [*FULL_SETTINGS[1][:2], version, *FULL_SETTINGS[1][3:]]]
    return xlsx(FULL_SURVEY, FULL_CHOICES, settings)
