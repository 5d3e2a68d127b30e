from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from ruta.core.defaults import default_catalogues, restore_empty_default_catalogues


@pytest.mark.django_db(transaction=True)
def test_default_catalogues_come_back_after_a_flush() -> None:
    call_command("flush", interactive=False, verbosity=0)
    catalogues = default_catalogues()
    assert {label for label, _module, _function in catalogues} >= {
        "alerts.CommunitySignal",
        "cases.ClosureReason",
        "referrals.ReferralDeadlineRule",
        "security.RetentionRule",
    }
    for label, _module, _function in catalogues:
        assert apps.get_model(label).objects.exists(), label


@pytest.mark.django_db
def test_an_edited_catalogue_is_left_alone() -> None:
    restore_empty_default_catalogues()
    model = apps.get_model("cases.ClosureReason")
    kept = model.objects.first()
    model.objects.exclude(pk=kept.pk).delete()
    assert restore_empty_default_catalogues() == []
    assert list(model.objects.all()) == [kept]
