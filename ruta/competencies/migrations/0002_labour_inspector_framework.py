from django.db import migrations

from ruta.competencies.inspector_framework import load


class Migration(migrations.Migration):
    dependencies = [("competencies", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
