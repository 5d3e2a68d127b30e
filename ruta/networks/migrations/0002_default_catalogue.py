"""The default threat types and risk factors (editable data afterwards).

Risk weights: the commission's starting point, to be calibrated with its own data — alerts and
verified threats weigh most (they are observations in the territory), inspection findings next, and
each vulnerability indicator (context, not evidence) least. Saturations: the count or percentage at
which a factor gives its full weight."""

from __future__ import annotations

from typing import Any

from django.db import migrations

THREAT_TYPES = [
    ("venue", "Bar, cantina, discoteca o centro nocturno", "Bar, nightclub or entertainment venue", "Bar, boîte de nuit ou lieu de divertissement"),
    ("farm", "Finca o plantación", "Farm or plantation", "Exploitation agricole ou plantation"),
    ("route", "Ruta de traslado", "Transport route", "Itinéraire de transport"),
    ("border_crossing", "Paso fronterizo", "Border crossing", "Passage de frontière"),
    ("bus_terminal", "Terminal de buses", "Bus terminal", "Gare routière"),
    ("recruitment_advert", "Anuncio de reclutamiento", "Recruitment advert", "Annonce de recrutement"),
    ("online_offer", "Oferta en internet o redes sociales", "Online or social-media offer", "Offre en ligne ou sur les réseaux sociaux"),
    ("other", "Otro lugar o patrón", "Other place or pattern", "Autre lieu ou schéma"),
]  # fmt: skip

RISK_FACTORS = [
    # code, source, weight, saturation, es, en, fr
    ("alerts", "alerts", "30", "20", "Alertas recibidas", "Alerts received", "Alertes reçues"),
    ("verified_threats", "threats", "30", "5", "Amenazas verificadas", "Verified threats", "Menaces vérifiées"),
    (
        "inspection_findings", "inspections", "20", "5",
        "Inspecciones con hallazgos", "Inspections with findings", "Inspections avec constats",
    ),
    (
        "emigration", "vulnerability", "10", "15",
        "Emigración (% de hogares con un migrante)", "Emigration (% of households with a migrant)",
        "Émigration (% des ménages avec un migrant)",
    ),
    (
        "school_dropout", "vulnerability", "10", "25",
        "Abandono escolar (%)", "School dropout (%)", "Abandon scolaire (%)",
    ),
]  # fmt: skip


def load(apps: Any, schema_editor: Any) -> None:
    """Adds the missing defaults; a row an administrator edited is left as it is."""
    ThreatType = apps.get_model("networks", "ThreatType")
    for order, (code, es, en, fr) in enumerate(THREAT_TYPES):
        ThreatType.objects.get_or_create(
            code=code, defaults={"labels": {"es": es, "en": en, "fr": fr}, "sort_order": order}
        )
    RiskFactor = apps.get_model("networks", "RiskFactor")
    for order, (code, source, weight, saturation, es, en, fr) in enumerate(RISK_FACTORS):
        RiskFactor.objects.get_or_create(
            code=code,
            defaults={
                "source": source,
                "weight": weight,
                "saturation": saturation,
                "sort_order": order,
                "labels": {"es": es, "en": en, "fr": fr},
            },
        )


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
