"""Alerts' escalations move to the platform's deadline engine (``deadlines.Escalation``)."""

from typing import Any

from django.db import migrations


def copy_to_deadlines(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("alerts", "Escalation")
    if not old.objects.exists():
        return
    new = apps.get_model("deadlines", "Escalation")
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="alerts", model="alert"
    )
    new.objects.bulk_create(
        (
            new(
                content_type=content_type,
                object_id=row.alert_id,
                deadline=row.deadline,
                due_at=row.due_at,
                escalated_at=row.escalated_at,
                recipients=row.recipients,
            )
            for row in old.objects.iterator()
        ),
        batch_size=1000,
    )


def copy_back(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("alerts", "Escalation")
    new = apps.get_model("deadlines", "Escalation")
    rows = new.objects.filter(content_type__app_label="alerts", content_type__model="alert")
    old.objects.bulk_create(
        (
            old(
                alert_id=row.object_id,
                deadline=row.deadline,
                due_at=row.due_at,
                escalated_at=row.escalated_at,
                recipients=row.recipients,
            )
            for row in rows.iterator()
        ),
        batch_size=1000,
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0003_leaner_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("deadlines", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_deadlines, copy_back),
        migrations.DeleteModel(name="Escalation"),
    ]
