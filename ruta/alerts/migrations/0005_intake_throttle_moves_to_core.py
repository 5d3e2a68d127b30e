"""Intake counters move to the one throttle (``core.ThrottleCounter``); counters are not copied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0004_escalations_move_to_deadlines"),
        ("core", "0004_throttle_counter"),
    ]

    operations = [
        migrations.DeleteModel(name="IntakeThrottle"),
    ]
