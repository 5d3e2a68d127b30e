"""Demo labour inspection: about forty workplaces in Cortés, Atlántida and Francisco Morazán, their
risk scores, past completed visits with worker interviews (one handed over to the ERI), a joint
operation and a planned visit assigned to the labour-inspector persona for the field demo.
Idempotent: nothing is added once the demo workplaces exist."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from ruta.geo.models import Municipality
from ruta.inspections.models import Establishment, Sector
from ruta.inspections.registry import EstablishmentInput, establishment_create
from ruta.inspections.risk import refresh_risk
from ruta.inspections.services import visit_plan
from ruta.inspections.sync import sync_batch

# (name, ISIC code, municipality, size, address)
WORKPLACES: list[tuple[str, str, str, str, str]] = [
    ("Finca Bananera Los Laureles", "01", "0107", "large", "Carretera a Tela, km 12"),
    ("Finca Palmera Río Lean", "01", "0104", "medium", "Aldea Río Lean"),
    ("Piñera del Atlántico", "01", "0101", "medium", "Sector Armenia Bonito"),
    ("Cooperativa Agrícola La Masica", "01", "0105", "small", "Barrio El Centro"),
    ("Finca Cafetalera El Mirador", "01", "0510", "small", "Aldea El Mirador"),
    ("Ganadera San Manuel", "01", "0509", "medium", "Carretera a San Manuel"),
    ("Pesquera Bahía de Omoa", "03", "0503", "small", "Muelle de Omoa"),
    ("Camaronera Puerto Escondido", "03", "0506", "medium", "Barrio Campo Rojo"),
    ("Langostera del Caribe", "03", "0101", "small", "Muelle de cabotaje"),
    ("Cantera Río Chamelecón", "08", "0505", "small", "Ribera del Chamelecón"),
    ("Minera Cerro Grande", "07", "0806", "medium", "Aldea Cerro Grande"),
    ("Maquiladora Textiles del Valle", "14", "0502", "large", "Parque industrial ZIP Choloma"),
    ("Confecciones Villanueva", "14", "0511", "large", "Parque industrial Villanueva"),
    ("Tejidos de Honduras La Lima", "13", "0512", "large", "Zona libre La Lima"),
    ("Calzado Sampedrano", "15", "0501", "small", "Barrio Cabañas, 5 calle"),
    ("Empacadora de Frutas Potrerillos", "10", "0505", "medium", "Desvío a Potrerillos"),
    ("Panificadora La Espiga", "10", "0801", "small", "Colonia Kennedy"),
    ("Beneficio de Café Pimienta", "10", "0504", "small", "Salida a Pimienta"),
    ("Constructora Torres del Norte", "41", "0501", "medium", "Boulevard del Norte"),
    ("Obras Viales Cortés", "42", "0506", "medium", "Carretera CA-5"),
    ("Construcciones Capitalinas", "41", "0801", "medium", "Colonia Palmira"),
    ("Instalaciones Eléctricas El Sol", "43", "0801", "micro", "Barrio La Hoya"),
    ("Bar El Faro", "5630", "0506", "micro", "Barrio El Porvenir"),
    ("Centro Nocturno La Luna", "5630", "0501", "small", "Barrio Guamilito"),
    ("Cantina El Puerto", "5630", "0101", "micro", "Barrio La Isla"),
    ("Discoteca Noches de Tela", "5630", "0107", "small", "Calle de la playa"),
    ("Bar y Billares El Trébol", "5630", "0801", "micro", "Comayagüela, 6 avenida"),
    ("Hotel Playa Esparta", "55", "0103", "small", "Playa de Esparta"),
    ("Hotel Central San Pedro", "55", "0501", "medium", "Barrio El Centro"),
    ("Pensión El Viajero", "55", "0801", "micro", "Comayagüela, 4 calle"),
    ("Restaurante Mariscos La Ceiba", "56", "0101", "small", "Zona Viva"),
    ("Comedor Doña Tere", "56", "0502", "micro", "Mercado de Choloma"),
    ("Casa de habitación, colonia Jardines del Valle", "97", "0501", "micro", "Colonia Jardines del Valle"),
    ("Casa de habitación, colonia Lomas del Guijarro", "97", "0801", "micro", "Colonia Lomas del Guijarro"),
    ("Casa de habitación, barrio El Iman", "97", "0101", "micro", "Barrio El Iman"),
    ("Supermercado La Económica", "G", "0511", "medium", "Carretera a Villanueva"),
    ("Transportes del Norte", "H", "0501", "medium", "Terminal de buses"),
    ("Seguridad Privada Atlántida", "N", "0101", "medium", "Barrio Solares Nuevos"),
    ("Mercado San Isidro, puesto 14", "G", "0801", "micro", "Comayagüela, mercado San Isidro"),
    ("Taller Mecánico El Progreso Vial", "G", "0501", "micro", "Colonia Rivera Hernández"),
]


def _record(kind: str, record_id: str, data: dict[str, Any], base: int | None) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": record_id,
        "base_version": base,
        "idempotency_key": f"demo-{record_id}-{base}",
        "data": data,
    }


def _interview(visit_id: str, **data: Any) -> dict[str, Any]:
    body = {
        "visit": visit_id,
        "held_in_private": True,
        "age": None,
        "age_group": "adult",
        "sex": "female",
        "nationality": "HN",
        "job": "",
        "forced_labour_indicators": [],
        "ilo_ec_indicators": [],
        "exploitation": "labour",
        "hazardous_work": False,
        "immediate_danger": False,
        "notes": "",
        **data,
    }
    return _record("interview", str(uuid.uuid5(uuid.NAMESPACE_URL, f"ruta-demo-{visit_id}-{data['job']}")), body, None)


def _completed(visit: Any, day: Any, observations: str, *, danger: bool = False) -> dict[str, Any]:
    started = timezone.make_aware(datetime.combine(day, time(9)))
    return _record(
        "visit",
        str(visit.uuid),
        {
            "establishment": visit.establishment_id,
            "inspection_type": visit.inspection_type,
            "started_at": started.isoformat(),
            "steps": {step.code: {"done": True, "note": ""} for step in visit.protocol.steps.all()},
            "observations": observations,
            "immediate_danger": danger,
            "danger_note": "Trabajadoras encerradas con llave en la galera" if danger else "",
            "status": "completed",
            "closed_at": (started + timedelta(hours=6)).isoformat(),
        },
        visit.version,
    )


def seed(users: dict[str, Any]) -> dict[str, int]:
    supervisor, inspector = users.get("inspection_supervisor"), users.get("labour_inspector")
    if supervisor is None or inspector is None:
        return {"establishments": 0}
    names = [name for name, *_ in WORKPLACES]
    if Establishment.objects.filter(name__in=names).exists():
        return {"establishments": Establishment.objects.filter(name__in=names).count(), "created": 0}
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    places = {m.code: m for m in Municipality.objects.filter(code__in={w[2] for w in WORKPLACES})}
    created = {
        name: establishment_create(
            actor=supervisor,
            data=EstablishmentInput(
                name=name, sector=sectors[code], municipality=places[town], size=size, address=address
            ),
            allow_duplicate=True,
            is_synthetic=True,
        )
        for name, code, town, size, address in WORKPLACES
    }
    today = timezone.localdate()

    def plan(name: str, days: int, inspection_type: str = "programmed") -> Any:
        return visit_plan(
            actor=supervisor,
            establishment=created[name],
            inspection_type=inspection_type,
            planned_for=today + timedelta(days=days),
            inspector=inspector,
            is_synthetic=True,
        )

    # Past visits: a maquila with wage findings, a bar handed over to the ERI (a girl, immediate danger).
    maquila = plan("Maquiladora Textiles del Valle", -60)
    bar = plan("Centro Nocturno La Luna", -20, "complaint")
    farm = plan("Finca Bananera Los Laureles", -90)
    sync_batch(
        actor=inspector,
        items=[
            _completed(maquila, today - timedelta(days=60), "Horas extra no pagadas en la línea de costura."),
            _interview(str(maquila.uuid), age=24, job="Operaria de costura", forced_labour_indicators=["FL08", "FL11"]),
            _interview(str(maquila.uuid), age=31, job="Supervisora de línea"),
            _completed(farm, today - timedelta(days=90), "Condiciones conformes; sin hallazgos."),
            _interview(str(farm.uuid), age=40, sex="male", job="Cortador"),
            _completed(bar, today - timedelta(days=20), "Menores atendiendo mesas de noche.", danger=True),
            _interview(
                str(bar.uuid),
                age=16,
                age_group="child",
                nationality="NI",
                job="Mesera",
                forced_labour_indicators=["FL03", "FL07", "FL09"],
                ilo_ec_indicators=["THB-CL-DR-01", "THB-CL-DR-10", "THB-CL-EX-01", "THB-CL-EX-02"],
                immediate_danger=True,
            ),
            _interview(str(bar.uuid), age=22, job="Cocinera", forced_labour_indicators=["FL07"]),
        ],
    )
    # What is coming: the field demo's visit and a few more, one of them unassigned.
    plan("Casa de habitación, colonia Jardines del Valle", 1, "complaint")
    plan("Pesquera Bahía de Omoa", 7)
    plan("Bar El Faro", 14)
    refresh_risk(establishment_ids=[e.pk for e in created.values()])
    return {"establishments": len(created), "visits": 6}
