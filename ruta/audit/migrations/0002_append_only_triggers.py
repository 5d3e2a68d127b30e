"""Make the audit table append-only in the database itself, so no client (not even a raw SQL
session with the application's credentials) can rewrite or erase the trail."""

from django.db import migrations

from ruta.audit import triggers


def forward(apps, schema_editor):
    triggers.install(schema_editor.connection)


def backward(apps, schema_editor):
    triggers.remove(schema_editor.connection)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_event_append_only();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
