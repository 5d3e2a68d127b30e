"""Subject and body become stored texts (``ruta.core.texts.Text`` JSON), rendered for each reader.

Rows written before hold sentences already translated: they are kept as plain JSON strings, which
``Text.from_json`` shows as they are."""

from django.db import migrations, models


def plain_to_json(apps, schema_editor):  # type: ignore[no-untyped-def]
    Notification = apps.get_model("notifications", "Notification")
    for row in Notification.objects.only("pk", "subject", "body").iterator():
        Notification.objects.filter(pk=row.pk).update(subject_text=row.subject, body_text=row.body)


def json_to_plain(apps, schema_editor):  # type: ignore[no-untyped-def]
    from ruta.core.texts import Text

    Notification = apps.get_model("notifications", "Notification")
    for row in Notification.objects.only("pk", "subject_text", "body_text").iterator():
        Notification.objects.filter(pk=row.pk).update(
            subject=Text.from_json(row.subject_text).render("es")[:200],
            body=Text.from_json(row.body_text).render("es"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_text",
            field=models.JSONField(default=str, verbose_name="subject"),
        ),
        migrations.AddField(
            model_name="notification",
            name="body_text",
            field=models.JSONField(blank=True, default=str, verbose_name="message"),
        ),
        # A default lets the old columns come back filled on reversal (json_to_plain then writes them).
        migrations.AlterField(
            model_name="notification",
            name="subject",
            field=models.CharField(default="", max_length=200, verbose_name="subject"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=models.TextField(blank=True, default="", verbose_name="message"),
        ),
        migrations.RunPython(plain_to_json, json_to_plain),
        migrations.RemoveField(model_name="notification", name="subject"),
        migrations.RemoveField(model_name="notification", name="body"),
    ]
