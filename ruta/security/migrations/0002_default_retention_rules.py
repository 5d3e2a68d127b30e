from django.db import migrations

DEFAULTS = [
    ("alerts.reporter_contact", 180, True),
    ("cases.closed_anonymise", 3650, True),
    ("core.idempotency", 30, True),
    ("accounts.login_failures", 90, True),
]


def forward(apps, schema_editor):
    rule = apps.get_model("security", "RetentionRule")
    for policy, days, active in DEFAULTS:
        rule.objects.get_or_create(policy=policy, defaults={"keep_days": days, "is_active": active})


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
