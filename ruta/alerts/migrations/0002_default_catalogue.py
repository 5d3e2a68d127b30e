"""Load the default community signals, priority levels (deadlines) and priority rules of DESIGN §3."""

from datetime import timedelta

from django.db import migrations

from ruta.alerts.catalogue import DEFAULT_LEVELS, DEFAULT_RULES, DEFAULT_SIGNALS


def load(apps, schema_editor):
    signal_model = apps.get_model("alerts", "CommunitySignal")
    level_model = apps.get_model("alerts", "PriorityLevel")
    rule_model = apps.get_model("alerts", "PriorityRule")
    for order, (code, group, danger, labels) in enumerate(DEFAULT_SIGNALS, start=1):
        signal_model.objects.get_or_create(
            code=code, defaults={"group": group, "is_danger": danger, "labels": labels, "sort_order": order}
        )
    for code, labels, acknowledge, first in DEFAULT_LEVELS:
        level_model.objects.get_or_create(
            code=code,
            defaults={
                "labels": labels,
                "acknowledge_within": timedelta(hours=acknowledge),
                "first_response_within": timedelta(hours=first),
            },
        )
    for rule in DEFAULT_RULES:
        fields = {key: value for key, value in rule.items() if key != "code"}
        rule_model.objects.get_or_create(code=rule["code"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
