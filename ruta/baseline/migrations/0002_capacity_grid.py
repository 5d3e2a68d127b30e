"""The default capacity grid: five dimensions scored 1 to 4, each step with its descriptor.

Administrators edit it (Django admin); ``ruta.core.defaults`` refills it only when it is empty."""

from __future__ import annotations

from typing import Any

from django.db import migrations

L = dict[str, str]
# (code, labels, [descriptor of levels 1..4])
GRID: list[tuple[str, L, list[L]]] = [
    (
        "protocols",
        {"es": "Protocolos de actuación", "en": "Protocols and procedures", "fr": "Protocoles et procédures"},
        [
            {"es": "No hay protocolo escrito", "en": "No written protocol", "fr": "Aucun protocole écrit"},
            {"es": "Protocolo en borrador", "en": "Draft protocol", "fr": "Protocole en projet"},
            {
                "es": "Protocolo aprobado, aplicado en parte",
                "en": "Approved protocol, partly applied",
                "fr": "Protocole approuvé, appliqué en partie",
            },
            {
                "es": "Protocolo aprobado, aplicado y revisado",
                "en": "Approved protocol, applied and reviewed",
                "fr": "Protocole approuvé, appliqué et révisé",
            },
        ],
    ),
    (
        "trained_staff",
        {"es": "Personal capacitado", "en": "Trained staff", "fr": "Personnel formé"},
        [
            {"es": "Nadie capacitado", "en": "Nobody trained", "fr": "Personne n'est formé"},
            {"es": "Menos de un cuarto", "en": "Less than a quarter", "fr": "Moins d'un quart"},
            {"es": "Entre un cuarto y la mitad", "en": "A quarter to a half", "fr": "D'un quart à la moitié"},
            {"es": "Más de la mitad", "en": "More than half", "fr": "Plus de la moitié"},
        ],
    ),
    (
        "data_systems",
        {"es": "Sistemas de información", "en": "Data systems", "fr": "Systèmes d'information"},
        [
            {"es": "Sin registros", "en": "No records kept", "fr": "Aucun registre"},
            {"es": "Registros en papel", "en": "Paper records", "fr": "Registres papier"},
            {"es": "Registro digital propio", "en": "Own digital register", "fr": "Registre numérique propre"},
            {
                "es": "Datos compartidos con la red",
                "en": "Data shared with the network",
                "fr": "Données partagées avec le réseau",
            },
        ],
    ),
    (
        "coordination",
        {"es": "Coordinación interinstitucional", "en": "Coordination", "fr": "Coordination"},
        [
            {"es": "Trabaja sola", "en": "Works alone", "fr": "Travaille seule"},
            {"es": "Contactos informales", "en": "Informal contacts", "fr": "Contacts informels"},
            {
                "es": "Participa en mesas o comités",
                "en": "Takes part in committees",
                "fr": "Participe à des comités",
            },
            {
                "es": "Convenios y rutas de derivación en uso",
                "en": "Agreements and referral routes in use",
                "fr": "Accords et circuits d'orientation en usage",
            },
        ],
    ),
    (
        "resources",
        {"es": "Recursos asignados", "en": "Resources", "fr": "Ressources"},
        [
            {"es": "Sin presupuesto", "en": "No budget", "fr": "Aucun budget"},
            {"es": "Fondos puntuales", "en": "Occasional funds", "fr": "Fonds ponctuels"},
            {"es": "Presupuesto anual insuficiente", "en": "Insufficient annual budget", "fr": "Budget annuel insuffisant"},
            {"es": "Presupuesto anual suficiente", "en": "Sufficient annual budget", "fr": "Budget annuel suffisant"},
        ],
    ),
]


def load(apps: Any, schema_editor: Any) -> None:
    dimension_model = apps.get_model("baseline", "CapacityDimension")
    level_model = apps.get_model("baseline", "CapacityLevel")
    for order, (code, labels, levels) in enumerate(GRID, start=1):
        dimension, _created = dimension_model.objects.get_or_create(
            code=code, defaults={"labels": labels, "sort_order": order * 10}
        )
        for value, descriptor in enumerate(levels, start=1):
            level_model.objects.get_or_create(dimension=dimension, value=value, defaults={"labels": descriptor})


class Migration(migrations.Migration):
    dependencies = [("baseline", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
