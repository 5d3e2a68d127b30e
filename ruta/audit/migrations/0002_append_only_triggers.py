"""Make the audit table append-only in the database itself, so no client (not even a raw SQL
session with the application's credentials) can rewrite or erase the trail."""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_append_only();",
]


def forward(apps, schema_editor):
    statements = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
