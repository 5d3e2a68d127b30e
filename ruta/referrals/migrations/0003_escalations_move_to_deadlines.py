"""Referrals' escalations move to the platform's deadline engine (``deadlines.Escalation``)."""

from typing import Any

from django.db import migrations


def copy_to_deadlines(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("referrals", "ReferralEscalation")
    if not old.objects.exists():
        return
    new = apps.get_model("deadlines", "Escalation")
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="referrals", model="referral"
    )
    new.objects.bulk_create(
        (
            new(
                content_type=content_type,
                object_id=row.referral_id,
                deadline=row.deadline,
                due_at=row.due_at,
                escalated_at=row.escalated_at,
                recipients=row.notified,
            )
            for row in old.objects.iterator()
        ),
        batch_size=1000,
    )


def copy_back(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("referrals", "ReferralEscalation")
    new = apps.get_model("deadlines", "Escalation")
    rows = new.objects.filter(content_type__app_label="referrals", content_type__model="referral")
    old.objects.bulk_create(
        (
            old(
                referral_id=row.object_id,
                deadline=row.deadline,
                due_at=row.due_at,
                escalated_at=row.escalated_at,
                notified=row.recipients,
            )
            for row in rows.iterator()
        ),
        batch_size=1000,
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_default_deadlines"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("deadlines", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_deadlines, copy_back),
        migrations.DeleteModel(name="ReferralEscalation"),
    ]
