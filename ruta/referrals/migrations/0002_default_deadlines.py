from datetime import timedelta

from django.db import migrations

DEFAULTS = {
    "emergency": (timedelta(hours=4), timedelta(days=3)),
    "high": (timedelta(hours=24), timedelta(days=14)),
    "normal": (timedelta(hours=72), timedelta(days=30)),
}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    rule = apps.get_model("referrals", "ReferralDeadlineRule")
    for urgency, (accept, complete) in DEFAULTS.items():
        rule.objects.get_or_create(urgency=urgency, defaults={"accept_within": accept, "complete_within": complete})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
