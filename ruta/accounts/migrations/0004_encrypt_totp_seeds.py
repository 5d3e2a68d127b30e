"""Move every TOTP seed out of django-otp's clear-text table into ``AuthenticatorDevice``, where the
seed column is encrypted (``EncryptedTextField``); the old rows are deleted, so no seed stays in
clear. Users keep their authenticator app: the same seed, counters and confirmation move over."""

from typing import Any

from django.db import migrations

COPIED = ("user_id", "name", "confirmed", "step", "t0", "digits", "tolerance", "drift", "last_t")
COPIED += ("throttling_failure_timestamp", "throttling_failure_count", "last_used_at")


def encrypt_seeds(apps: Any, schema_editor: Any) -> None:
    old_model = apps.get_model("otp_totp", "TOTPDevice")
    new_model = apps.get_model("accounts", "AuthenticatorDevice")
    for old in old_model.objects.order_by("pk").iterator():
        new = new_model.objects.create(key=old.key, **{name: getattr(old, name) for name in COPIED})
        new_model.objects.filter(pk=new.pk).update(created_at=old.created_at)  # auto_now_add overrode it
    old_model.objects.all().delete()


def decrypt_seeds(apps: Any, schema_editor: Any) -> None:
    old_model = apps.get_model("otp_totp", "TOTPDevice")
    new_model = apps.get_model("accounts", "AuthenticatorDevice")
    for new in new_model.objects.order_by("pk").iterator():
        old = old_model.objects.create(key=new.key, **{name: getattr(new, name) for name in COPIED})
        old_model.objects.filter(pk=old.pk).update(created_at=new.created_at)
    new_model.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_authenticatordevice"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(encrypt_seeds, decrypt_seeds)]
