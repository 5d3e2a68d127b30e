"""Demo alerts: realistic, fictional, spread over the country with Cortés and Francisco Morazán
weighted as in the CICESCT's 2024 figures (36 % and 31 % of new cases); every priority and status,
some overdue. Idempotent: alerts are created once (marked synthetic)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ruta.alerts import configuration, intake, triage
from ruta.alerts.models import Alert, Channel
from ruta.geo.models import Municipality
from ruta.institutions.models import Institution

TARGET = 60
WEIGHTS = {"05": 36, "08": 31, "01": 6, "03": 5, "18": 4, "16": 4, "06": 4, "02": 3, "12": 3, "07": 4}

STORIES: list[dict[str, Any]] = [
    {
        "narrative": (
            "Una adolescente de 15 años trabaja de noche en un bar; el dueño no la deja salir y guarda su tarjeta de "
            "identidad."
        ),
        "signals": ["S05", "S06", "S12", "S14"],
        "persons": [{"age": 15, "sex": "female"}],
        "now": True,
    },
    {
        "narrative": (
            "Vecinos cuentan que a tres jóvenes les ofrecieron trabajo en una maquila de otro país y ahora no "
            "contestan el teléfono."
        ),
        "signals": ["S01", "S03", "S09"],
        "persons": [{"age": None, "age_group": "adult", "sex": "female"}] * 3,
        "now": False,
    },
    {
        "narrative": (
            "Niño de 11 años pidiendo dinero en el semáforo todos los días; un adulto lo vigila y se lleva el dinero."
        ),
        "signals": ["S08", "S13"],
        "persons": [{"age": 11, "sex": "male"}],
        "now": True,
    },
    {
        "narrative": (
            "Trabajadores de una finca de palma dicen que no les pagan desde hace tres meses y deben la comida al "
            "capataz."
        ),
        "signals": ["S04", "S10", "S11"],
        "persons": [{"age": 34, "sex": "male"}, {"age": 29, "sex": "male"}],
        "now": False,
    },
    {
        "narrative": (
            "Mi sobrina viajó a la ciudad por una oferta de empleo doméstico y desde hace dos semanas no sabemos nada "
            "de ella."
        ),
        "signals": ["S01", "S15"],
        "persons": [{"age": 16, "sex": "female"}],
        "now": False,
    },
    {
        "narrative": (
            "Una mujer joven fue amenazada por su pareja para tener relaciones sexuales pagadas en un hotel de la "
            "carretera."
        ),
        "signals": ["S07", "S12"],
        "persons": [{"age": 22, "sex": "female"}],
        "now": True,
    },
    {
        "narrative": "Publicación en redes que ofrece becas de modelaje en el extranjero a muchachas de colegio.",
        "signals": ["S01"],
        "persons": [],
        "now": False,
    },
    {
        "narrative": (
            "Trabajadora doméstica trabaja de 5 de la mañana a medianoche, duerme en la cocina y no tiene día libre."
        ),
        "signals": ["S11"],
        "persons": [{"age": 41, "sex": "female"}],
        "now": False,
    },
    {
        "narrative": "Llamada sobre una casa donde entran y salen hombres de noche; no se sabe quiénes viven allí.",
        "signals": [],
        "persons": [],
        "now": False,
    },
]
OUTCOMES = ["open", "open", "open", "acknowledged", "verification", "referred", "closed", "case", "merged"]


def _municipalities(rng: random.Random) -> list[Municipality]:
    by_department: dict[str, list[Municipality]] = {}
    for municipality in Municipality.objects.select_related("department"):
        by_department.setdefault(municipality.department.code, []).append(municipality)
    codes = [code for code in WEIGHTS if code in by_department]
    picks = rng.choices(codes, weights=[WEIGHTS[c] for c in codes], k=TARGET)
    # The department capital / main city is the likeliest place (first municipality by code).
    return [
        sorted(by_department[code], key=lambda m: m.code)[0] if rng.random() < 0.6 else rng.choice(by_department[code])
        for code in picks
    ]


@transaction.atomic
def seed(users: dict[str, Any]) -> dict[str, int]:
    configuration.catalogue_load()
    existing = Alert.objects.filter(is_synthetic=True).count()
    if existing >= TARGET:
        return {"alerts": existing, "created": 0}
    rng = random.Random(145)  # noqa: S311 - demo data, not security
    now = timezone.now()
    officer = users.get("duty_officer")
    responder = users.get("eri_responder")
    reporters = [users.get(key) for key in ("community_reporter", "hotline_operator", "labour_inspector")]
    channels = [Channel.PUBLIC_WEB, Channel.STAFF, Channel.HOTLINE, Channel.SMS, Channel.INSPECTION, Channel.API]
    created: list[Alert] = []
    for index, municipality in enumerate(_municipalities(rng)[existing:]):
        story = STORIES[index % len(STORIES)]
        received = now - timedelta(hours=rng.choice([0.3, 2, 5, 20, 50, 120, 300, 700]))
        channel = channels[index % len(channels)]
        actor = (
            reporters[index % len(reporters)]
            if channel in (Channel.STAFF, Channel.HOTLINE, Channel.INSPECTION)
            else None
        )
        data = intake.clean_submission(
            {
                "narrative": story["narrative"],
                "municipality": municipality.code,
                "signals": story["signals"],
                "happening_now": story["now"],
                "persons": story["persons"],
            }
        )
        alert = intake.alert_submit(
            actor=actor, data=data, channel=channel, received_at=received, is_synthetic=True
        ).alert
        created.append(alert)
        outcome = OUTCOMES[index % len(OUTCOMES)]
        if officer is None or responder is None or outcome == "open":
            continue  # stays new: the older ones are overdue
        worker = responder
        if outcome == "acknowledged":
            triage.alert_acknowledge(actor=worker, alert=alert)
        elif outcome == "verification":
            triage.alert_add_verification_note(
                actor=worker, alert=alert, note="Se llamó a la persona que reportó; visita programada."
            )
        elif outcome == "referred":
            triage.alert_refer(
                actor=worker, alert=alert, institution=Institution.objects.get(code="stss"), reason="labour_violation"
            )
        elif outcome == "closed":
            triage.alert_close(
                actor=worker,
                alert=alert,
                status="closed_insufficient_information",
                reason="No se pudo ubicar el lugar.",
            )
        elif outcome == "case" and alert.persons.exists():
            triage.alert_open_case(actor=worker, alert=alert)
        elif outcome == "merged" and len(created) > 1:
            target = created[-2]
            if target.is_open:
                triage.alert_merge(actor=officer, alert=alert, into=target)
    return {"alerts": existing + len(created), "created": len(created)}
