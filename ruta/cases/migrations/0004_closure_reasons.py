"""The default closure-reason catalogue (administrators can translate, extend or deactivate it)."""

from django.db import migrations

REASONS = [
    ("plan_completed", {"es": "Plan de atención cumplido", "en": "Care plan completed", "fr": "Plan de prise en charge réalisé"}),
    ("reintegrated", {"es": "Reintegración lograda", "en": "Reintegration achieved", "fr": "Réintégration réussie"}),
    ("voluntary_withdrawal", {"es": "La persona ya no desea atención", "en": "The person no longer wants support", "fr": "La personne ne souhaite plus d'accompagnement"}),
    ("not_trafficking", {"es": "No se identificó trata de personas", "en": "Not identified as trafficking", "fr": "Traite non identifiée"}),
    ("transferred", {"es": "Trasladado a otra institución", "en": "Transferred to another institution", "fr": "Transféré à une autre institution"}),
    ("relocated_abroad", {"es": "La persona salió del país", "en": "The person left the country", "fr": "La personne a quitté le pays"}),
    ("lost_contact", {"es": "Contacto perdido tras varios intentos", "en": "Contact lost after repeated attempts", "fr": "Contact perdu après plusieurs tentatives"}),
    ("deceased", {"es": "Fallecimiento", "en": "Death", "fr": "Décès"}),
]


def load(apps, schema_editor):
    ClosureReason = apps.get_model("cases", "ClosureReason")
    for order, (code, labels) in enumerate(REASONS):
        ClosureReason.objects.update_or_create(code=code, defaults={"labels": labels, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_management")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
