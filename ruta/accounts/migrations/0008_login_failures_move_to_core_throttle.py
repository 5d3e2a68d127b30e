"""Log-in failures are counted by the one throttle (``core.ThrottleCounter``); the rows are not
copied, so lockouts under way end with this migration."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_membership_role_choices_from_policy"),
        ("core", "0004_throttle_counter"),
    ]

    operations = [
        migrations.DeleteModel(name="LoginFailure"),
    ]
