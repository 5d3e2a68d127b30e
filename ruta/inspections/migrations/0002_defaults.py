from django.db import migrations

from ruta.inspections.catalogue import load_defaults


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    load_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
