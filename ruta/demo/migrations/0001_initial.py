from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="SyntheticCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entity", models.CharField(max_length=32, unique=True)),
                ("seed", models.BigIntegerField()),
                ("batch_size", models.PositiveIntegerField()),
                ("batches_done", models.PositiveIntegerField(default=0)),
                ("rows_done", models.BigIntegerField(default=0)),
                ("params", models.JSONField(default=dict)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"verbose_name": "synthetic-data checkpoint"},
        ),
    ]
